import type { Change } from '../schemas/change.ts';
import { NOT_STATED } from '../schemas/not-stated.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import { REQUIRED_PRIVACY_PROCESSING, RETENTION_RULES, RETENTION_RULE_IDS } from '../schemas/legal.ts';
import { publishedCookies } from './cookies.ts';
import { splitClauses } from './clauses.ts';
import { isInEea } from './countries.ts';
import type { ContentProblem, PublicationSource, SourceEntry } from './publication-source.ts';
import { termsOfChanges } from './source-terms.ts';
import { thirdCountriesOf } from './subprocessor-facts.ts';

export type { ContentProblem, PublicationSource, SourceEntry } from './publication-source.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Rules that span files, which no single schema can check. Returns every problem rather than
 * the first, so an author fixes them in one pass. Pure: the caller loads the files.
 */
export function validatePublication(source: PublicationSource): ContentProblem[] {
  return [
    ...checkRequiredFiles(source),
    ...checkFileNames(source),
    ...checkUniqueVersions(source.avvVersions, 'AVV'),
    ...checkUniqueVersions(source.tomVersions, 'TOMs'),
    ...checkUniqueVersions(source.acceptanceWordings ?? [], 'Acceptance wording'),
    ...checkClauseAnchors(source),
    ...checkTomSectionIds(source),
    ...checkDataCategoryReferences(source),
    ...checkTransfersRecorded(source),
    ...checkRuleIds(source),
    ...checkChanges(source),
    ...checkUnannouncedSubprocessors(source),
    ...checkSecurityTxt(source),
    ...checkLegalPages(source),
    ...checkRetentionRules(source),
    ...checkCookies(source),
  ];
}

function checkRequiredFiles({ vendor, avvVersions, tomVersions, acceptanceWordings, contentDir }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (acceptanceWordings?.length === 0) problems.push({ file: `${contentDir}/acceptance-wording/`, field: '', message: 'no acceptance wording: add at least one Markdown file with the checkbox text' });
  if (!vendor) problems.push({ file: `${contentDir}/vendor.yaml`, field: '', message: 'the vendor profile is missing' });
  if (avvVersions.length === 0) problems.push({ file: `${contentDir}/avv/`, field: '', message: 'no AVV version: add at least one Markdown file' });
  if (tomVersions.length === 0) problems.push({ file: `${contentDir}/toms/`, field: '', message: 'no TOMs version: add at least one Markdown file' });
  return problems;
}

/** File names are ids in URLs and notices: they must be slugs and must not collide. */
function checkFileNames({ fileNames }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { folder, names } of fileNames) {
    const seen = new Map<string, string>();
    for (const name of names) {
      const stem = name.replace(/\.(md|ya?ml)$/i, '');
      const key = stem.toLowerCase();
      if (folder.endsWith('subprocessors') || folder.endsWith('changes')) {
        if (!SLUG.test(stem)) {
          problems.push({ file: `${folder}/${name}`, field: '', message: `file name "${stem}" is used as the permanent id and must be a lowercase slug (a-z, 0-9, hyphens)` });
        }
      }
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.push({ file: `${folder}/${name}`, field: '', message: `slug "${key}" repeats: ${folder}/${earlier} has the same id` });
      } else {
        seen.set(key, name);
      }
    }
  }
  return problems;
}

function checkUniqueVersions(entries: SourceEntry<{ version: string; effectiveDate: string }>[], label: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const byVersion = new Map<string, string>();
  const byDate = new Map<string, string>();
  for (const { file, data } of entries) {
    const sameVersion = byVersion.get(data.version);
    if (sameVersion) problems.push({ file, field: 'version', message: `${label} version "${data.version}" is also used by ${sameVersion}` });
    else byVersion.set(data.version, file);
    const sameDate = byDate.get(data.effectiveDate);
    if (sameDate) problems.push({ file, field: 'effectiveDate', message: `${label} effective date ${data.effectiveDate} is also used by ${sameDate}; which version governs that day would be ambiguous` });
    else byDate.set(data.effectiveDate, file);
  }
  return problems;
}

function checkClauseAnchors({ avvVersions }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of avvVersions) {
    const seen = new Set<string>();
    for (const clause of splitClauses(data.body).clauses) {
      if (seen.has(clause.anchor)) {
        problems.push({ file, field: 'body', message: `clause anchor "#${clause.anchor}" (heading "${clause.heading}") is used twice; links would be ambiguous` });
      }
      seen.add(clause.anchor);
    }
    if (seen.size === 0) problems.push({ file, field: 'body', message: 'the contract text has no clauses: start each clause with a "## " heading' });
  }
  return problems;
}

/** Which Art. 32 categories are covered is a finding (findings.ts); ids must not repeat. */
function checkTomSectionIds({ tomVersions }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of tomVersions) {
    const ids = new Set<string>();
    data.sections.forEach((section, index) => {
      if (ids.has(section.id)) problems.push({ file, field: `sections[${index}].id`, message: `section id "${section.id}" repeats` });
      ids.add(section.id);
    });
  }
  return problems;
}

function checkDataCategoryReferences({ dataCategories, subprocessors }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const kinds = new Map(dataCategories.map(({ data }) => [data.id, data.kind]));
  for (const { file, data } of subprocessors) {
    const fields = [
      ['dataCategories', data.dataCategories, 'data'],
      ['dataSubjects', data.dataSubjects, 'data-subjects'],
    ] as const;
    for (const [field, mappings, expectedKind] of fields) {
      if (mappings === NOT_STATED) continue;
      const seen = new Set<string>();
      mappings.forEach(({ id }, index) => {
        const kind = kinds.get(id);
        if (kind === undefined) {
          problems.push({ file, field: `${field}[${index}]`, message: `unknown ${expectedKind === 'data' ? 'data category' : 'data-subject category'} "${id}" (not in data-categories.yaml)` });
        } else if (kind !== expectedKind) {
          problems.push({ file, field: `${field}[${index}]`, message: `"${id}" is declared as kind ${kind}, but ${field} needs kind ${expectedKind}` });
        }
        if (seen.has(id)) problems.push({ file, field: `${field}[${index}]`, message: `"${id}" is listed twice; keep one entry (with its qualifier, if any)` });
        seen.add(id);
      });
    }
  }
  return problems;
}

/**
 * A location outside the EU/EEA needs `transfers` written out: the mechanisms the AVV names,
 * or `not-stated` (a finding). Leaving the field out is an error, so no gap goes unnoticed.
 */
function checkTransfersRecorded({ subprocessors }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of subprocessors) {
    const countries = thirdCountriesOf(data.locations);
    if (countries.length > 0 && data.transfers === undefined) {
      problems.push({ file, field: 'transfers', message: `missing: ${countries.join(', ')} ${countries.length === 1 ? 'is' : 'are'} outside the EU/EEA; list the transfer mechanisms the AVV names (adequacy, eu-us-dpf, scc, bcr, art49, privacy-shield), or write \`not-stated\`` });
    }
    data.onwardTransfers.forEach((onward, index) => {
      if (!isInEea(onward.country) && onward.transfers === undefined) {
        problems.push({ file, field: `onwardTransfers[${index}].transfers`, message: `missing: ${onward.country} is outside the EU/EEA; list the mechanisms the AVV names, or write \`not-stated\`` });
      }
    });
  }
  return problems;
}

/** Rule ids name the rule in the manifest and on change pages: unique per AVV version. */
function checkRuleIds({ avvVersions }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of avvVersions) {
    if (data.changeRules === NOT_STATED) continue;
    const seen = new Set<string>();
    data.changeRules.forEach((rule, index) => {
      if (seen.has(rule.id)) problems.push({ file, field: `changeRules[${index}].id`, message: `rule id "${rule.id}" repeats in this AVV version` });
      seen.add(rule.id);
    });
  }
  return problems;
}

function checkChanges(source: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const subprocessors = new Map(source.subprocessors.map((entry) => [entry.id, entry]));
  for (const { entry: { file, data: change }, terms } of termsOfChanges(source)) {
    const references = [
      ...change.subprocessors.map((slug, index) => ({ slug, field: `subprocessors[${index}]` })),
      ...(change.replaces ?? []).map((slug, index) => ({ slug, field: `replaces[${index}]` })),
    ];
    for (const { slug, field } of references) {
      if (!subprocessors.has(slug)) {
        problems.push({ file, field, message: `unknown subprocessor "${slug}": there is no ${source.contentDir}/subprocessors/${slug}.yaml` });
      }
    }
    if (!terms) {
      if (source.avvVersions.length > 0) problems.push({ file, field: 'announcedDate', message: `no AVV version is in force on ${change.announcedDate}, so no rule governs this change` });
    } else {
      const notice = terms.notice;
      // "regelmäßig" periods are the usual case, not a minimum: a shorter notice is a finding.
      if (notice?.stated === 'fixed' && notice.qualifier !== 'regularly' && change.effectiveDate < notice.earliestEffectiveDate) {
        problems.push({
          file,
          field: 'effectiveDate',
          message: `effective date ${change.effectiveDate} is too early: rule "${terms.ruleId}" of AVV ${terms.governingAvvVersion} requires ${notice.amount} ${notice.unit} notice ("${notice.wording}"), so a change announced on ${change.announcedDate} takes effect on ${notice.earliestEffectiveDate} at the earliest`,
        });
      }
      const response = terms.response;
      // Consent, given or deemed, must exist before the change applies.
      if ((terms.right === 'consent' || terms.right === 'tacit-consent') && response?.stated === 'fixed' && change.effectiveDate <= response.deadlineForAnnouncementDay) {
        problems.push({
          file,
          field: 'effectiveDate',
          message: `effective date ${change.effectiveDate} is too early: under rule "${terms.ruleId}" (${terms.right}) the customer has until ${response.deadlineForAnnouncementDay} to decide, so the change can take effect on the day after at the earliest`,
        });
      }
    }
    problems.push(...checkChangeMatchesList(file, change, subprocessors));
  }
  return problems;
}

/** The list must say what the change says: added ones start, removed ones end, on time. */
function checkChangeMatchesList(file: string, change: Change, subprocessors: Map<string, SourceEntry<Subprocessor>>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const starting = change.kind === 'add' || change.kind === 'replace' ? change.subprocessors : [];
  const ending = change.kind === 'remove' ? change.subprocessors : change.kind === 'replace' ? (change.replaces ?? []) : [];
  for (const slug of starting) {
    const entry = subprocessors.get(slug);
    if (entry && entry.data.since !== NOT_STATED && entry.data.since < change.effectiveDate) {
      problems.push({ file: entry.file, field: 'since', message: `since ${entry.data.since} is before the effective date ${change.effectiveDate} of change ${file}; a subprocessor may not process data before the change takes effect` });
    }
  }
  for (const slug of ending) {
    const entry = subprocessors.get(slug);
    if (entry && (entry.data.until === undefined || entry.data.until >= change.effectiveDate)) {
      problems.push({ file: entry.file, field: 'until', message: `change ${file} ends this subprocessor on ${change.effectiveDate}, so until must be set to a day before it` });
    }
  }
  return problems;
}

/**
 * Art. 28(2) GDPR: a subprocessor engaged after the first AVV took effect must have been
 * announced, so it has to appear in an add or replace change.
 */
function checkUnannouncedSubprocessors({ avvVersions, subprocessors, changes }: PublicationSource): ContentProblem[] {
  const firstEffective = avvVersions.map((entry) => entry.data.effectiveDate).sort()[0];
  if (firstEffective === undefined) return [];
  const announced = new Set(changes.filter(({ data }) => data.kind === 'add' || data.kind === 'replace').flatMap(({ data }) => data.subprocessors));
  return subprocessors
    .filter(({ id, data }) => data.since !== NOT_STATED && data.since > firstEffective && !announced.has(id))
    .map(({ file, data }) => ({
      file,
      field: 'since',
      message: `engaged on ${data.since}, after the first AVV took effect (${firstEffective}), but no add or replace change announces it`,
    }));
}

function checkSecurityTxt({ vendor, buildDate }: PublicationSource): ContentProblem[] {
  if (!vendor || vendor.data.security.expires > buildDate) return [];
  return [{ file: vendor.file, field: 'security.expires', message: `security.txt would already be expired (${vendor.data.security.expires}); RFC 9116 requires a future date` }];
}

/**
 * A German site that collects personal data must name its provider (§ 5 DDG) and inform about
 * its own processing (Art. 13 GDPR); the privacy notice must cover everything this site does
 * with personal data, each with a retention period (the schema requires at least one).
 */
function checkLegalPages({ imprints, privacyNotices, contentDir }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (imprints?.length === 0) {
    problems.push({ file: `${contentDir}/legal/imprint.yaml`, field: '', message: 'the Impressum is missing: § 5 DDG requires it on a commercial site (representatives, email, phone; name and address come from vendor.yaml)' });
  }
  if (privacyNotices?.length === 0) {
    problems.push({ file: `${contentDir}/legal/privacy.yaml`, field: '', message: "the privacy notice is missing: Art. 13 GDPR requires it, since this site collects personal data" });
  }
  for (const { file, data } of privacyNotices ?? []) {
    const ids = data.processing.map((activity) => activity.id);
    const missing = REQUIRED_PRIVACY_PROCESSING.filter((id) => !ids.includes(id));
    if (missing.length > 0) {
      problems.push({ file, field: 'processing', message: `no entry for ${missing.map((id) => `"${id}"`).join(', ')}: the site processes personal data for each, and the notice must say why, on which legal basis and for how long` });
    }
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) problems.push({ file, field: `processing[${index}].id`, message: `processing id "${id}" repeats` });
    });
  }
  return problems;
}

/**
 * The Cron Trigger deletes by the periods the notice states (src/domain/retention.ts), so each
 * rule must be stated exactly once, under the activity it belongs to; and the words must count
 * the way the data does, or the page would promise one period while another is enforced.
 */
function checkRetentionRules({ privacyNotices }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { file, data } of privacyNotices ?? []) {
    const seen = new Set<string>();
    data.processing.forEach((activity, index) => {
      activity.retention.forEach((retention, position) => {
        const field = `processing[${index}].retention[${position}]`;
        const belongsTo = RETENTION_RULES[retention.rule].processing;
        if (belongsTo !== activity.id) problems.push({ file, field: `${field}.rule`, message: `rule "${retention.rule}" is the retention of "${belongsTo}", not of "${activity.id}": move it there` });
        if (seen.has(retention.rule)) problems.push({ file, field: `${field}.rule`, message: `rule "${retention.rule}" is stated twice: the system can enforce only one period per rule` });
        seen.add(retention.rule);
        const saysYearEnd = /kalenderjahr/i.test(retention.after.de);
        if (retention.countFrom === 'end-of-year' && !saysYearEnd) problems.push({ file, field: `${field}.after.de`, message: 'countFrom is end-of-year, but the wording does not say "nach Ende des Kalenderjahres …": the reader must learn when the period starts' });
        if (retention.countFrom === 'event' && saysYearEnd) problems.push({ file, field: `${field}.countFrom`, message: 'the wording counts from the end of a calendar year: write countFrom: end-of-year, or the data would be deleted earlier than the notice says' });
      });
    });
    const missing = RETENTION_RULE_IDS.filter((rule) => !seen.has(rule));
    if (missing.length > 0) {
      problems.push({ file, field: 'processing', message: `no retention period for ${missing.map((rule) => `"${rule}" (${RETENTION_RULES[rule].processing})`).join(', ')}: the system deletes this data by the period the notice states, so state it` });
    }
  }
  return problems;
}

/**
 * Cookies must be named truthfully (§ 25 TDDDG, Art. 13 GDPR): the notice lists exactly the
 * cookies a production Worker can set (src/domain/cookies.ts), no fewer and no more.
 */
function checkCookies({ privacyNotices }: PublicationSource): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const set = new Set(publishedCookies().map((cookie) => cookie.name));
  for (const { file, data } of privacyNotices ?? []) {
    const listed = data.cookies.map((cookie) => cookie.name);
    const unlisted = [...set].filter((name) => !listed.includes(name));
    if (unlisted.length > 0) problems.push({ file, field: 'cookies', message: `the site sets ${unlisted.map((name) => `"${name}"`).join(', ')}, which the notice does not name: describe each cookie (name, purpose, legal basis)` });
    listed.forEach((name, index) => {
      if (!set.has(name)) problems.push({ file, field: `cookies[${index}].name`, message: `the site never sets a cookie "${name}": remove it, or the notice states something untrue` });
      else if (listed.indexOf(name) !== index) problems.push({ file, field: `cookies[${index}].name`, message: `cookie "${name}" is listed twice` });
    });
  }
  return problems;
}

/** Formats problems as the build prints them: one line each, file › field: reason. */
export function formatProblems(problems: ContentProblem[]): string {
  return problems.map(({ file, field, message }) => `  ${file}${field ? ` › ${field}` : ''}: ${message}`).join('\n');
}

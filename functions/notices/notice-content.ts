import { changeKindLabel } from '../../src/i18n/change-kind-labels.ts';
import { formatDate, t, type UiKey } from '../../src/i18n/ui.ts';
import { avvVersionHeadline, tomsVersionHeadline } from '../../src/i18n/document-titles.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import type { NoticeEvent } from '../../src/domain/notice-events.ts';
import { declarationSubject, howToHeading, invitesDeclaration, termsFacts } from '../../src/i18n/change-terms-text.ts';
import { paths, type Lang } from '../../src/lib/paths.ts';

/**
 * Wording that exists only in notices (mail body frame, webhook prose). Labels the site also
 * shows come from src/i18n/ui.ts so a notice and the page it links to say the same thing.
 */
const TEXT = {
  de: {
    introChange: 'kündigt eine Änderung bei seinen Unterauftragsverarbeitern an.',
    introAvv: 'hat eine neue Fassung des Auftragsverarbeitungsvertrags (AVV) veröffentlicht.',
    introToms: 'hat eine neue Fassung der technischen und organisatorischen Maßnahmen (TOMs) veröffentlicht.',
    subjectHint: 'Betreff',
    whyYouGetThis: 'Sie erhalten diese Nachricht, weil Sie Benachrichtigungen zu diesem Thema abonniert haben.',
    unsubscribe: 'Abmelden',
  },
  en: {
    introChange: 'announces a change to its subprocessors.',
    introAvv: 'has published a new version of its data processing agreement (AVV, Auftragsverarbeitungsvertrag under Art. 28 GDPR).',
    introToms: 'has published a new version of its technical and organisational measures (TOMs).',
    subjectHint: 'Subject',
    whyYouGetThis: 'You receive this message because you subscribed to notices on this topic.',
    unsubscribe: 'Unsubscribe',
  },
} satisfies Record<Lang, Record<string, string>>;


/** What a recipient is told, in their language; dates are per recipient. */
export interface NoticeFacts {
  lang: Lang;
  /** Day this recipient received the notice (Europe/Berlin). */
  receivedOn: string;
  /** Their last day to object or consent (from the change's terms), or null where the rule names no fixed period / no change. */
  objectionDeadline: string | null;
}

function origin(manifest: Manifest): string {
  return new URL(manifest.siteUrl).origin;
}

function names(manifest: Manifest, slugs: readonly string[]): string {
  return slugs.map((slug) => manifest.subprocessorNames[slug] ?? slug).join(', ');
}

/** The page the notice is about, absolute. */
export function eventUrl(manifest: Manifest, event: NoticeEvent, lang: Lang): string {
  const site = origin(manifest);
  switch (event.topic) {
    case 'subprocessor-changes':
      return site + paths.change(lang, event.change.id);
    case 'avv-versions':
      return site + paths.avvVersion(lang, event.avv.version);
    case 'toms-updates':
      return site + paths.tomsVersion(lang, event.toms.version);
  }
}

export function eventTitle(event: NoticeEvent, lang: Lang): string {
  switch (event.topic) {
    case 'subprocessor-changes':
      return lang === 'en' ? (event.change.titleEn ?? event.change.title) : event.change.title;
    case 'avv-versions':
      return avvVersionHeadline(event.avv, lang);
    case 'toms-updates':
      return tomsVersionHeadline(event.toms, lang);
  }
}

/**
 * The email notice of one event to recipients with the same language and dates: subject, the
 * body up to its last line, and that last line, which carries each recipient's own unsubscribe
 * link. A fan-out composes this once per event, language and receipt day, not once per mail.
 */
export interface NoticeMail {
  subject: string;
  /** The plain-text body before the unsubscribe line; ends with a line break. */
  textHead: string;
  /** The body's last line (with its line break) for one recipient's unsubscribe URL. */
  unsubscribeLine(unsubscribeUrl: string): string;
}

export function noticeMail(manifest: Manifest, event: NoticeEvent, facts: NoticeFacts): NoticeMail {
  const { lang } = facts;
  const words = TEXT[lang];
  const line = (key: UiKey, value: string) => `${t(lang, key)}: ${value}`;
  const date = (day: string) => formatDate(day, lang);
  const title = eventTitle(event, lang);
  const lines: string[] = [];

  if (event.topic === 'subprocessor-changes') {
    const { change } = event;
    const { terms } = change;
    const contact = manifest.declarationContact;
    lines.push(`${manifest.vendor} ${words.introChange}`, '', title, '');
    lines.push(line('changeKind', changeKindLabel(lang, change.kind)));
    lines.push(line('subprocessorsConcerned', names(manifest, change.subprocessors)));
    if (change.replaces?.length) lines.push(line('replaces', names(manifest, change.replaces)));
    lines.push(line('announcedDate', date(change.announcedDate)));
    lines.push(line('effectiveDate', date(change.effectiveDate)));
    // The same facts as the change page, from the same terms; the deadline is this recipient's.
    for (const fact of termsFacts(terms, change.announcedDate, lang, { receivedOn: facts.receivedOn, deadline: facts.objectionDeadline })) lines.push(`${fact.label}: ${fact.value}`);
    if (lang !== 'de' && terms.declaration?.consequence && terms.declaration.consequence !== 'not-stated') lines.push(`(${t(lang, 'consequence')}: ${t(lang, 'availableInGermanOnly')})`);
    if (invitesDeclaration(terms)) {
      lines.push(
        '',
        `${howToHeading(terms, lang)}: ${t(lang, 'howToDeclareText')} ${contact.name}, ${contact.email}${contact.phone ? `, ${t(lang, 'phone')} ${contact.phone}` : ''}${contact.postalAddress ? `, ${t(lang, 'postalAddress')}: ${contact.postalAddress}` : ''} (${words.subjectHint}: "${declarationSubject(terms, lang)} ${change.id}").`,
        `${origin(manifest)}${paths.changeObjection(lang, change.id)}`,
      );
    }
  } else {
    lines.push(`${manifest.vendor} ${event.topic === 'avv-versions' ? words.introAvv : words.introToms}`, '', title, '');
    if (event.topic === 'avv-versions') lines.push(line('publishedDate', date(event.avv.publishedDate)));
    lines.push(line('effectiveDate', date(event.effectiveDate)));
  }
  lines.push('', `${t(lang, event.topic === 'subprocessor-changes' ? 'viewChange' : 'viewVersion')}: ${eventUrl(manifest, event, lang)}`);
  lines.push('', '-- ', words.whyYouGetThis, '');

  const category: UiKey = event.topic === 'subprocessor-changes' ? 'categoryChange' : event.topic === 'avv-versions' ? 'categoryAvv' : 'categoryToms';
  const subject = event.topic === 'subprocessor-changes' ? `${manifest.vendor}: ${t(lang, category)} – ${title}` : `${manifest.vendor}: ${title}`;
  return { subject, textHead: lines.join('\n'), unsubscribeLine: (unsubscribeUrl) => `${words.unsubscribe}: ${unsubscribeUrl}\n` };
}

/**
 * The webhook payload (Standard Webhooks shape: type, timestamp, data). `data` carries the
 * facts a machine needs; the recipient-specific dates are counted from this delivery.
 */
export function webhookPayload(manifest: Manifest, event: NoticeEvent, facts: NoticeFacts, deliveredAt: Date): string {
  const site = origin(manifest);
  const common = {
    eventId: event.id,
    title: eventTitle(event, facts.lang),
    url: eventUrl(manifest, event, facts.lang),
    publishedDate: event.publishedDate,
    effectiveDate: event.effectiveDate,
  };
  let data: Record<string, unknown>;
  switch (event.topic) {
    case 'subprocessor-changes': {
      const { change } = event;
      const subprocessor = (slug: string) => ({ slug, name: manifest.subprocessorNames[slug] ?? slug, url: site + paths.subprocessor(facts.lang, slug) });
      data = {
        ...common,
        changeId: change.id,
        kind: change.kind,
        subprocessors: change.subprocessors.map(subprocessor),
        replaces: (change.replaces ?? []).map(subprocessor),
        governingAvvVersion: change.terms.governingAvvVersion,
        terms: change.terms,
        receivedOn: facts.receivedOn,
        responseDeadline: facts.objectionDeadline,
        declarationUrl: site + paths.changeObjection(facts.lang, change.id),
        declarationContact: manifest.declarationContact,
      };
      break;
    }
    case 'avv-versions':
      data = { ...common, version: event.avv.version, documentSha256: event.avv.documentSha256, documentUrl: site + event.avv.documentPath };
      break;
    case 'toms-updates':
      data = { ...common, version: event.toms.version };
      break;
  }
  return JSON.stringify({ type: event.type, timestamp: deliveredAt.toISOString(), data });
}

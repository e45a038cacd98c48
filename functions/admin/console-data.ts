import { berlinDateOf } from '../../src/domain/calendar-date.ts';
import { acceptanceStatus, recipientDeadlineStatus } from '../../src/domain/console-status.ts';
import type { Manifest, ManifestChange } from '../../src/domain/manifest.ts';
import { noticeEventId } from '../../src/domain/notice-events.ts';
import { witnessObjectName } from '../../src/domain/ledger-witness.ts';
import type {
  AcceptanceDetailView,
  AccountsView,
  AccountView,
  AudienceCounts,
  AudienceView,
  AuditView,
  ChangeDetailView,
  ChangeView,
  ChannelCounts,
  InvitationsView,
  InvitationView,
  LedgerView,
  VerificationView,
} from '../../src/lib/admin-views.ts';
import { paths } from '../../src/lib/paths.ts';
import { currentTerms } from '../acceptances/current-terms.ts';
import { reissuedCapability } from '../acceptances/receipt-capability.ts';
import { acceptancesOfAccount, findAcceptance, listAccounts, type AccountRow } from '../acceptances/overview-store.ts';
import { latestHeadSummary, latestVerifications } from '../ledger/verification-store.ts';
import { deliveryCounts, dispatchesOf, type DeliveryCountRow } from '../notices/delivery-counts-store.ts';
import { recipientsOfEvent } from '../notices/recipients-store.ts';
import { listDeclarations, type DeclarationSummary } from '../objections/store.ts';
import { subscriberCountsByStatus, subscriberCountsByTopic, type CountRow } from '../subscriptions/counts-store.ts';
import { endpointCountsByStatus, endpointCountsByTopic } from '../webhooks/counts-store.ts';
import { listAudit } from './audit-store.ts';
import { listInvitations, type InvitationRow } from './invitations-store.ts';

/**
 * What the console shows, assembled from the stores and the published manifest. Pages
 * (functions/admin/page-services.ts) and exports (functions/admin/exports.ts) both read these,
 * so a figure on a page is the figure in its export. Statuses and deadlines come from the
 * manifest's computed terms and the stored delivery evidence, never recomputed here.
 */

/** Rows a page shows at most; the exports have no such limit. */
export const PAGE_ROWS = 500;
const EXPORT_ROWS = 100_000;

const versionInForce = (manifest: Manifest, now: Date) => currentTerms(manifest, now)?.avv ?? null;

function accountView(row: AccountRow, version: string | null, invitations: Map<string, InvitationRow>): AccountView {
  return { ...row, status: acceptanceStatus(row.avvVersion, version), invitation: invitations.get(row.accountKey)?.state ?? null };
}

export async function accounts(env: Env, manifest: Manifest, filter: { search: string; status: 'all' | 'current' | 'outdated' }, options: { export?: boolean } = {}, now = new Date()): Promise<AccountsView> {
  const version = versionInForce(manifest, now)?.version ?? null;
  const [rows, invitations] = await Promise.all([
    listAccounts(env.DB, { ...filter, versionInForce: version, limit: options.export ? EXPORT_ROWS : PAGE_ROWS }),
    version === null ? [] : listInvitations(env.DB, { avvVersion: version, limit: EXPORT_ROWS }),
  ]);
  const byAccount = new Map(invitations.map((invitation) => [invitation.accountKey, invitation]));
  const search = filter.search.trim();
  // An account id nobody accepted for is the "none" status: say so instead of an empty table.
  const unknownAccount = search !== '' && !rows.some((row) => row.accountId === search) && filter.status === 'all' ? search : null;
  return { versionInForce: version, accounts: rows.map((row) => accountView(row, version, byAccount)), unknownAccount: rows.length === 0 ? unknownAccount : null };
}

export async function acceptanceDetail(env: Env, manifest: Manifest, recordId: string, now = new Date()): Promise<AcceptanceDetailView | null> {
  const row = await findAcceptance(env.DB, recordId);
  if (!row) return null;
  const version = versionInForce(manifest, now)?.version ?? null;
  return {
    recordId: row.record_id,
    accountKey: row.account_key,
    status: acceptanceStatus(row.avv_version, version),
    versionInForce: version,
    fields: [
      ['record_id', row.record_id],
      ['leaf_index', row.leaf_index],
      ['accepted_at', row.accepted_at],
      ['avv_version', row.avv_version],
      ['document_sha256', row.document_sha256],
      ['wording_version', row.wording_version],
      ['wording_sha256', row.wording_sha256],
      ['lang', row.lang],
      ['company_name', row.company_name],
      ['company_address', row.company_address],
      ['signer_name', row.signer_name],
      ['signer_role', row.signer_role],
      ['signer_email', row.signer_email],
      ['account_id', row.account_id],
      ['ip_address', row.ip_address],
      ['user_agent', row.user_agent],
      ['leaf_hash', row.leaf_hash],
    ],
    receiptJson: row.receipt_json,
    receiptPath: await receiptPath(env, row.lang, row.record_id, row.receipt_key_sha256),
    receiptMail: { state: row.mail_state, sentAt: row.mail_sent_at, messageId: row.mail_message_id },
    history: await acceptancesOfAccount(env.DB, row.account_key, 50),
  };
}

/** The receipt page as the signer got it: its capability is derived again, never stored (0013). */
async function receiptPath(env: Env, lang: 'de' | 'en', recordId: string, keySha256: string | null): Promise<string | null> {
  const key = await reissuedCapability(env, recordId, keySha256);
  return key === null ? null : paths.avvAcceptReceipt(lang, recordId, key);
}

const changeEventId = (manifest: Manifest, change: ManifestChange) => noticeEventId(manifest.siteUrl, change.announcedDate, 'change', change.id);

function channelCounts(rows: DeliveryCountRow[], eventId: string, channel: 'email' | 'webhook'): ChannelCounts {
  const counts: ChannelCounts = { sent: 0, failed: 0, pending: 0 };
  for (const row of rows) {
    if (row.eventId !== eventId || row.channel !== channel) continue;
    if (row.state === 'sent') counts.sent += row.count;
    else if (row.state === 'failed') counts.failed += row.count;
    else counts.pending += row.count;
  }
  return counts;
}

function declarationCounts(declarations: DeclarationSummary[], changeId: string): ChangeView['declarations'] {
  const byKind = new Map<string, number>();
  for (const declaration of declarations) if (declaration.changeId === changeId) byKind.set(declaration.kind, (byKind.get(declaration.kind) ?? 0) + 1);
  return [...byKind].map(([kind, count]) => ({ kind, count }));
}

/** Every change in the manifest, newest announcement first, with notice and declaration counts. */
export async function changes(env: Env, manifest: Manifest): Promise<ChangeView[]> {
  const list = [...manifest.changes].sort((a, b) => (a.announcedDate < b.announcedDate ? 1 : a.announcedDate > b.announcedDate ? -1 : a.id < b.id ? -1 : 1));
  const eventIds = list.map((change) => changeEventId(manifest, change));
  const [counts, dispatches, declarations] = await Promise.all([deliveryCounts(env.DB, eventIds), dispatchesOf(env.DB, eventIds), listDeclarations(env.DB)]);
  return list.map((change, index) => {
    const eventId = eventIds[index]!;
    const response = change.terms.response;
    return {
      id: change.id,
      title: change.title,
      announcedDate: change.announcedDate,
      effectiveDate: change.effectiveDate,
      right: change.terms.right ?? null,
      status: change.terms.status,
      deadlineForAnnouncementDay: response?.stated === 'fixed' ? response.deadlineForAnnouncementDay : null,
      dispatch: dispatches.find((dispatch) => dispatch.eventId === eventId)?.outcome ?? 'not-yet',
      email: channelCounts(counts, eventId, 'email'),
      webhook: channelCounts(counts, eventId, 'webhook'),
      declarations: declarationCounts(declarations, change.id),
    };
  });
}

/** One change with every recipient's delivery and deadline, and the declarations received. */
export async function changeDetail(env: Env, manifest: Manifest, changeId: string, options: { export?: boolean } = {}, now = new Date()): Promise<ChangeDetailView | null> {
  const change = (await changes(env, manifest)).find((candidate) => candidate.id === changeId);
  const source = manifest.changes.find((candidate) => candidate.id === changeId);
  if (!change || !source) return null;
  const today = berlinDateOf(now);
  const [recipients, declarations] = await Promise.all([recipientsOfEvent(env.DB, changeEventId(manifest, source), options.export ? EXPORT_ROWS : PAGE_ROWS), listDeclarations(env.DB, { changeId })]);
  return {
    change,
    recipients: recipients.map((row) => ({ ...row, deadlineStatus: recipientDeadlineStatus(row.receivedOn, row.deadline, today) })),
    declarations: declarations.map((declaration) => ({
      kind: declaration.kind,
      companyName: declaration.companyName,
      accountId: declaration.accountId,
      signerName: declaration.signerName,
      signerEmail: declaration.signerEmail,
      declaredAt: declaration.receivedAt,
    })),
  };
}

function audienceCounts(byStatus: CountRow[], byTopic: CountRow[]): AudienceCounts {
  return { byStatus: byStatus.map((row) => ({ status: row.status, count: row.count })), byTopic: byTopic.map((row) => ({ topic: row.key, status: row.status, count: row.count })) };
}

export async function audience(env: Env): Promise<AudienceView> {
  const [subscriberStatus, subscriberTopic, endpointStatus, endpointTopic] = await Promise.all([
    subscriberCountsByStatus(env.DB),
    subscriberCountsByTopic(env.DB),
    endpointCountsByStatus(env.DB),
    endpointCountsByTopic(env.DB),
  ]);
  return { subscribers: audienceCounts(subscriberStatus, subscriberTopic), webhooks: audienceCounts(endpointStatus, endpointTopic) };
}

export async function ledgerHealth(env: Env, options: { export?: boolean } = {}): Promise<LedgerView> {
  const [head, verifications] = await Promise.all([latestHeadSummary(env.DB), latestVerifications(env.DB, options.export ? EXPORT_ROWS : 20)]);
  let witness: LedgerView['witness'] = 'empty-log';
  if (head) {
    try {
      witness = (await env.LEDGER_WITNESS.head(witnessObjectName(head.treeSize, head.rootHash))) ? 'witnessed' : 'missing';
    } catch (error) {
      console.error('witness not readable', error);
      witness = 'unavailable';
    }
  }
  return {
    head,
    witness,
    verifications: verifications.map((row): VerificationView => {
      const report = JSON.parse(row.reportJson) as { findings?: Array<{ kind: string; detail: string }> };
      return { ...row, findings: (report.findings ?? []).map((finding) => ({ kind: finding.kind, detail: finding.detail })) };
    }),
  };
}

export async function auditTrail(env: Env, options: { export?: boolean } = {}): Promise<AuditView[]> {
  return listAudit(env.DB, options.export ? EXPORT_ROWS : PAGE_ROWS);
}

export async function invitations(env: Env, manifest: Manifest, options: { export?: boolean } = {}, now = new Date()): Promise<InvitationsView> {
  const avv = versionInForce(manifest, now);
  const [outdated, sent] = await Promise.all([
    accounts(env, manifest, { search: '', status: 'outdated' }, options, now),
    listInvitations(env.DB, { limit: options.export ? EXPORT_ROWS : PAGE_ROWS }),
  ]);
  return {
    versionInForce: avv?.version ?? null,
    effectiveDate: avv?.effectiveDate ?? null,
    outdated: outdated.accounts,
    invitations: sent.map((row): InvitationView => row),
  };
}

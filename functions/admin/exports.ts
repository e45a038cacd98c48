import { toCsv } from '../../src/domain/csv.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { listSubscribersForExport } from '../subscriptions/counts-store.ts';
import { accounts, audience, auditTrail, changeDetail, changes, invitations, ledgerHealth } from './console-data.ts';

/**
 * The console's lists as files: each list the pages show, in full, as CSV (RFC 4180, UTF-8
 * with BOM for Excel, formula-injection safe: src/domain/csv.ts) or JSON. `subscribers` is the
 * one export with every subscriber's address: the pages only count them.
 */
export const EXPORT_LISTS = ['accounts', 'changes', 'change-recipients', 'change-declarations', 'audience', 'subscribers', 'invitations', 'ledger-verifications', 'audit'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

export interface ExportQuery {
  search?: string;
  status?: 'all' | 'current' | 'outdated';
  change?: string;
}

/** A list's rows with the columns in their order; null when the list names something unknown. */
export type ExportTable = { columns: readonly string[]; rows: Array<Record<string, unknown>> };

export async function exportTable(env: Env, manifest: Manifest, list: ExportList, query: ExportQuery): Promise<ExportTable | null> {
  switch (list) {
    case 'accounts': {
      const view = await accounts(env, manifest, { search: query.search ?? '', status: query.status ?? 'all' }, { export: true });
      const columns = ['accountKey', 'accountId', 'companyName', 'status', 'avvVersion', 'versionInForce', 'acceptedAt', 'signerName', 'signerEmail', 'lang', 'acceptanceCount', 'recordId', 'invitation'];
      return { columns, rows: view.accounts.map((row) => ({ ...row, versionInForce: view.versionInForce })) };
    }
    case 'changes': {
      const rows = (await changes(env, manifest)).map((change) => ({
        id: change.id,
        title: change.title,
        announcedDate: change.announcedDate,
        effectiveDate: change.effectiveDate,
        right: change.right,
        status: change.status,
        deadlineForAnnouncementDay: change.deadlineForAnnouncementDay,
        dispatch: change.dispatch,
        emailSent: change.email.sent,
        emailFailed: change.email.failed,
        emailPending: change.email.pending,
        webhookSent: change.webhook.sent,
        webhookFailed: change.webhook.failed,
        webhookPending: change.webhook.pending,
        declarations: change.declarations.map((entry) => `${entry.kind}:${entry.count}`).join(' '),
      }));
      return { columns: Object.keys(rows[0] ?? { id: '' }), rows };
    }
    case 'change-recipients':
    case 'change-declarations': {
      if (!query.change) return null;
      const detail = await changeDetail(env, manifest, query.change, { export: true });
      if (!detail) return null;
      if (list === 'change-declarations') return { columns: ['kind', 'companyName', 'accountId', 'signerName', 'signerEmail', 'declaredAt'], rows: detail.declarations.map((row) => ({ ...row })) };
      return { columns: ['channel', 'recipient', 'state', 'attempts', 'sentAt', 'receivedOn', 'deadline', 'deadlineStatus'], rows: detail.recipients.map((row) => ({ ...row })) };
    }
    case 'audience': {
      const view = await audience(env);
      const rows = [
        ...view.subscribers.byStatus.map((row) => ({ audience: 'subscribers', topic: null, ...row })),
        ...view.subscribers.byTopic.map((row) => ({ audience: 'subscribers', ...row })),
        ...view.webhooks.byStatus.map((row) => ({ audience: 'webhooks', topic: null, ...row })),
        ...view.webhooks.byTopic.map((row) => ({ audience: 'webhooks', ...row })),
      ];
      return { columns: ['audience', 'topic', 'status', 'count'], rows };
    }
    case 'subscribers':
      return { columns: ['email', 'status', 'lang', 'topics', 'createdAt', 'confirmedAt', 'unsubscribedAt'], rows: (await listSubscribersForExport(env.DB)).map((row) => ({ ...row })) };
    case 'invitations':
      return {
        columns: ['accountKey', 'avvVersion', 'acceptedVersion', 'recipient', 'lang', 'requestedBy', 'requestedAt', 'state', 'sentAt', 'messageId', 'lastError'],
        rows: (await invitations(env, manifest, { export: true })).invitations.map((row) => ({ ...row })),
      };
    case 'ledger-verifications':
      return {
        columns: ['verifiedAt', 'actor', 'ok', 'treeSize', 'recordCount', 'witnessedSize', 'findingCount', 'findings'],
        rows: (await ledgerHealth(env, { export: true })).verifications.map((row) => ({ ...row, findings: row.findings.map((finding) => `${finding.kind}: ${finding.detail}`).join('; ') })),
      };
    case 'audit':
      return { columns: ['at', 'actor', 'auth', 'method', 'path', 'action', 'outcome', 'status'], rows: (await auditTrail(env, { export: true })).map((row) => ({ ...row })) };
  }
}

/** The file: CSV with BOM, or JSON `{ list, exportedAt, count, rows }`. */
export function exportBody(list: ExportList, table: ExportTable, format: 'csv' | 'json', now = new Date()): string {
  if (format === 'csv') return toCsv(table.columns, table.rows, { bom: true });
  return JSON.stringify({ list, exportedAt: now.toISOString(), count: table.rows.length, rows: table.rows.map((row) => Object.fromEntries(table.columns.map((column) => [column, row[column] ?? null]))) }, null, 2);
}

import type { AcceptanceStatus, RecipientDeadlineStatus } from '../domain/console-status.ts';
import type { ChangeStatus } from '../domain/change-terms.ts';
import type { Lang } from '../schemas/lang.ts';

/*
 * What the privacy team's console pages show, as the Worker assembles it
 * (functions/admin/console-data.ts). The same rows feed the pages and the CSV/JSON exports.
 */

/** Who is signed in to the console, and how. */
export interface ConsoleActor {
  actor: string;
  auth: 'access' | 'dev-sign-in';
}

/** One customer account with its latest acceptance. */
export interface AccountView {
  accountKey: string;
  accountId: string | null;
  companyName: string;
  recordId: string;
  avvVersion: string;
  acceptedAt: string;
  signerName: string;
  signerEmail: string;
  lang: Lang;
  acceptanceCount: number;
  status: AcceptanceStatus;
  /** State of the invitation to accept the version in force, if one was sent. */
  invitation: 'sending' | 'sent' | 'failed' | null;
}

export interface AccountsView {
  versionInForce: string | null;
  accounts: AccountView[];
  /** Set when the search names an account id nobody accepted for: its status is "none". */
  unknownAccount: string | null;
}

/** Everything stored about one acceptance. */
export interface AcceptanceDetailView {
  fields: Array<[label: string, value: string | number | null]>;
  recordId: string;
  accountKey: string;
  status: AcceptanceStatus;
  versionInForce: string | null;
  receiptJson: string;
  /** The receipt page (with its capability key), as the signer got it; null for a record whose key cannot be derived. */
  receiptPath: string | null;
  receiptMail: { state: string | null; sentAt: string | null; messageId: string | null };
  history: Array<{ recordId: string; avvVersion: string; acceptedAt: string; signerName: string }>;
}

/** Notices of one change per channel. */
export interface ChannelCounts {
  sent: number;
  failed: number;
  /** Queued, sending or waiting for a retry. */
  pending: number;
}

/** Declarations (objections, consents, refusals, withdrawals) received for a change, by kind. */
export type DeclarationsView = Array<{ kind: string; count: number }>;

export interface ChangeView {
  id: string;
  title: string;
  announcedDate: string;
  effectiveDate: string;
  /** The right the governing rule gives, from the manifest's computed terms. */
  right: string | null;
  status: ChangeStatus;
  /** Deadline for a notice received on the announcement day (manifest); null without a fixed period. */
  deadlineForAnnouncementDay: string | null;
  dispatch: 'not-yet' | 'sending' | 'sent' | 'skipped';
  email: ChannelCounts;
  webhook: ChannelCounts;
  declarations: DeclarationsView;
}

export interface RecipientView {
  channel: 'email' | 'webhook';
  recipient: string;
  state: string;
  attempts: number;
  sentAt: string | null;
  receivedOn: string | null;
  deadline: string | null;
  deadlineStatus: RecipientDeadlineStatus;
}

export interface DeclarationView {
  kind: string;
  companyName: string;
  accountId: string | null;
  signerName: string;
  signerEmail: string;
  declaredAt: string;
}

export interface ChangeDetailView {
  change: ChangeView;
  recipients: RecipientView[];
  declarations: DeclarationView[];
}

/** Counts by status and by topic, for subscribers and webhook endpoints. */
export interface AudienceCounts {
  byStatus: Array<{ status: string; count: number }>;
  byTopic: Array<{ topic: string; status: string; count: number }>;
}

export interface AudienceView {
  subscribers: AudienceCounts;
  webhooks: AudienceCounts;
}

export interface VerificationView {
  verifiedAt: string;
  actor: string | null;
  ok: boolean;
  treeSize: number;
  recordCount: number;
  witnessedSize: number | null;
  findingCount: number;
  findings: Array<{ kind: string; detail: string }>;
}

export interface LedgerView {
  head: { treeSize: number; rootHash: string; checkpoint: string; createdAt: string } | null;
  /** Whether the latest checkpoint is in the witness bucket. */
  witness: 'witnessed' | 'missing' | 'empty-log' | 'unavailable';
  verifications: VerificationView[];
}

export interface AuditView {
  at: string;
  actor: string | null;
  auth: string;
  method: string;
  path: string;
  action: string;
  outcome: string;
  status: number;
}

export interface InvitationView {
  accountKey: string;
  avvVersion: string;
  acceptedVersion: string;
  recipient: string;
  lang: Lang;
  requestedBy: string;
  requestedAt: string;
  state: 'sending' | 'sent' | 'failed';
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
}

export interface InvitationsView {
  versionInForce: string | null;
  effectiveDate: string | null;
  /** Accounts whose latest acceptance is of an older version, with their invitation state. */
  outdated: AccountView[];
  invitations: InvitationView[];
}

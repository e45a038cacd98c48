import type { Manifest } from '../../src/domain/manifest.ts';
import { paths } from '../../src/lib/paths.ts';
import { currentTerms } from '../acceptances/current-terms.ts';
import { listAccounts, type AccountRow } from '../acceptances/overview-store.ts';
import { mailFrom, mailTransport } from '../mail/transport.ts';
import { invitationMail } from './invitation-mail.ts';
import { claimInvitation, markInvitationFailed, markInvitationSent } from './invitations-store.ts';

/** At most this many invitations per click: one Worker request must finish in time. */
export const INVITATIONS_PER_REQUEST = 200;

export interface InvitationOutcome {
  /** Sent now. */
  sent: number;
  /** Attempted now, failed (the row says why; the next click tries again). */
  failed: number;
  /** Already sent (or being sent) before: nothing new. */
  skipped: number;
}

/** Thrown when no AVV version is in force, or mail is not configured: nothing was sent. */
export class InvitationsUnavailableError extends Error {
  override name = 'InvitationsUnavailableError';
}

/**
 * Invites the signer of each outdated acceptance (all, or one account's) to accept the version
 * in force: once per account and version, each with its evidence row. The version in force is
 * the manifest's (functions/acceptances/current-terms.ts), the same one the accept page offers.
 */
export async function sendInvitations(env: Env, manifest: Manifest, origin: string, requestedBy: string, options: { accountKey?: string }, now = new Date()): Promise<InvitationOutcome> {
  const terms = currentTerms(manifest, now);
  if (!terms) throw new InvitationsUnavailableError('No AVV version is in force today.');
  let from: string;
  try {
    from = mailFrom(env);
  } catch (error) {
    throw new InvitationsUnavailableError(error instanceof Error ? error.message : String(error));
  }
  const version = terms.avv.version;
  const outdated = (await listAccounts(env.DB, { search: '', status: 'outdated', versionInForce: version, limit: 10_000 })).filter(
    (account) => options.accountKey === undefined || account.accountKey === options.accountKey,
  );
  const outcome: InvitationOutcome = { sent: 0, failed: 0, skipped: 0 };
  let attempted = 0;
  for (const account of outdated) {
    if (attempted >= INVITATIONS_PER_REQUEST) break;
    const claimed = await claimInvitation(env.DB, invitationOf(account, version, requestedBy), now);
    if (!claimed) {
      outcome.skipped += 1;
      continue;
    }
    attempted += 1;
    try {
      const message = invitationMail({
        from,
        replyTo: manifest.declarationContact.email,
        to: account.signerEmail,
        lang: account.lang,
        vendor: manifest.vendor,
        signerName: account.signerName,
        companyName: account.companyName,
        acceptedVersion: account.avvVersion,
        acceptedAt: account.acceptedAt,
        version,
        effectiveDate: terms.avv.effectiveDate,
        acceptUrl: new URL(paths.avvAccept(account.lang), origin).href,
      });
      const { messageId } = await mailTransport(env).send(message);
      await markInvitationSent(env.DB, claimed.id, messageId, new Date());
      outcome.sent += 1;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error('re-acceptance invitation failed', reason);
      await markInvitationFailed(env.DB, claimed.id, reason);
      outcome.failed += 1;
    }
  }
  return outcome;
}

function invitationOf(account: AccountRow, version: string, requestedBy: string) {
  return {
    accountKey: account.accountKey,
    avvVersion: version,
    acceptanceRecordId: account.recordId,
    acceptedVersion: account.avvVersion,
    recipient: account.signerEmail,
    lang: account.lang,
    requestedBy,
  };
}

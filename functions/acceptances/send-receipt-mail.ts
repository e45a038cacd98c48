import { parseStoredReceipt } from './stored-receipt.ts';
import { paths, type Lang } from '../../src/lib/paths.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, smtpConfig } from '../mail/transport.ts';
import type { Manifest } from '../../src/domain/manifest.ts';
import { reissuedCapability } from './receipt-capability.ts';
import { receiptMail } from './receipt-mail.ts';
import { claimReceiptMail, dueReceiptMails, markReceiptMailFailed, markReceiptMailSent } from './receipt-mail-store.ts';

/** Attempts per receipt mail: the first right after acceptance, the rest by the Cron Trigger. */
export const RECEIPT_MAIL_MAX_ATTEMPTS = 5;

export interface IssuedReceipt {
  recordId: string;
  receiptKey: string;
  receiptJson: string;
  lang: Lang;
  /** Attempts made before this one (0 for the first). */
  attempts: number;
}

/**
 * Sends the signer their receipt and records the outcome in `receipt_mails`. Never throws: the
 * acceptance stands whatever the mail does, and the evidence row says what happened.
 */
export async function sendReceiptMail(env: Env, manifest: Manifest, origin: string, issued: IssuedReceipt, now = new Date()): Promise<void> {
  // Never throws (see above): what cannot be recorded is logged.
  await attemptReceiptMail(env, manifest, origin, issued, now).catch((error: unknown) => console.error('receipt mail', error instanceof Error ? error.message : error));
}

/**
 * Per deployment environment (the same object for every request of an isolate): why receipt
 * mail is off, or null when it is on. Checked and logged once per isolate, not per acceptance:
 * the log line and the error per acceptance cost a fifth of the Worker's CPU per acceptance in
 * the bench (workerd hands every console call to its inspector), and which records got no mail
 * needs no log — every record without a `receipt_mails` row.
 */
const mailOff = new WeakMap<Env, string | null>();

function mailOffReason(env: Env): string | null {
  let reason = mailOff.get(env);
  if (reason === undefined) {
    try {
      mailFrom(env);
      smtpConfig(env);
      reason = null;
    } catch (error) {
      if (!(error instanceof MailNotConfiguredError)) throw error;
      reason = error.message;
      console.warn(`receipt mails are not sent: ${reason}`);
    }
    mailOff.set(env, reason);
  }
  return reason;
}

async function attemptReceiptMail(env: Env, manifest: Manifest, origin: string, issued: IssuedReceipt, now: Date): Promise<void> {
  // Nothing was sent, so there is no delivery to record; writing a row here would cost every
  // acceptance a D1 write (measured: 503s under 100 concurrent acceptances, see the README).
  if (mailOffReason(env) !== null) return;
  const from = mailFrom(env);
  const receipt = parseStoredReceipt(issued.receiptJson);
  if (!(await claimReceiptMail(env.DB, issued.recordId, receipt.record.signerEmail, now))) return;
  try {
    const message = receiptMail({
      from,
      lang: issued.lang,
      vendor: manifest.vendor,
      receipt,
      receiptJson: issued.receiptJson,
      receiptPageUrl: new URL(paths.avvAcceptReceipt(issued.lang, issued.recordId, issued.receiptKey), origin).href,
      verifyUrl: new URL(paths.verifyReceipt(issued.lang), origin).href,
    });
    const { messageId } = await mailTransport(env).send(message);
    await markReceiptMailSent(env.DB, issued.recordId, messageId, new Date());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const state = issued.attempts + 1 >= RECEIPT_MAIL_MAX_ATTEMPTS ? 'failed' : 'retry';
    console.error(`receipt mail ${state}`, reason);
    await markReceiptMailFailed(env.DB, issued.recordId, reason, state);
  }
}

/** Cron: another attempt for every receipt mail whose last one failed. */
export async function retryReceiptMails(env: Env, manifest: Manifest, origin: string, now: Date): Promise<number> {
  const due = await dueReceiptMails(env.DB);
  for (const mail of due) {
    const receiptKey = await reissuedCapability(env, mail.record_id, mail.receipt_key_sha256);
    if (receiptKey === null) {
      // A record from before migration 0013: its random key was never kept, so no link can be sent.
      await markReceiptMailFailed(env.DB, mail.record_id, 'the receipt key of a record from before migration 0013 cannot be issued again', 'failed');
      continue;
    }
    await sendReceiptMail(env, manifest, origin, { recordId: mail.record_id, receiptKey, receiptJson: mail.receipt_json, lang: mail.lang, attempts: mail.attempts }, now);
  }
  return due.length;
}

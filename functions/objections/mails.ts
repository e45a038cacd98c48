import type { DeclarationRecord } from '../../src/domain/declaration-record.ts';
import type { Manifest, ManifestChange } from '../../src/domain/manifest.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { paths, type Lang } from '../../src/lib/paths.ts';
import { reissuedCapability } from '../acceptances/receipt-capability.ts';
import { RECEIPT_MAIL_MAX_ATTEMPTS } from '../acceptances/send-receipt-mail.ts';
import type { MailMessage } from '../mail/message.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, smtpConfig } from '../mail/transport.ts';
import { declarationReceiptMail, vendorDeclarationMail } from './declaration-mails.ts';
import { claimDeclarationMail, dueDeclarationMails, markDeclarationMailFailed, markDeclarationMailSent, type DeclarationMailPurpose } from './declaration-mail-store.ts';

/** Attempts per declaration mail, as for acceptance receipts: the first right away, the rest by the Cron Trigger. */
export const DECLARATION_MAIL_MAX_ATTEMPTS = RECEIPT_MAIL_MAX_ATTEMPTS;

const PURPOSES: readonly DeclarationMailPurpose[] = ['receipt', 'vendor-notice'];

export interface IssuedDeclaration {
  recordId: string;
  receiptKey: string;
  receiptJson: string;
  lang: Lang;
}

/** The mail of one purpose, built the same way for the first attempt and for every retry. */
function declarationMail(purpose: DeclarationMailPurpose, from: string, manifest: Manifest, change: ManifestChange, origin: string, issued: IssuedDeclaration): MailMessage {
  const receipt = JSON.parse(issued.receiptJson) as Receipt<DeclarationRecord>;
  const common = { from, vendor: manifest.vendor, change, receipt, receiptJson: issued.receiptJson };
  if (purpose === 'vendor-notice') return vendorDeclarationMail({ ...common, to: manifest.declarationContact.email });
  return declarationReceiptMail({
    ...common,
    lang: issued.lang,
    receiptPageUrl: new URL(paths.declarationReceipt(issued.lang, issued.recordId, issued.receiptKey), origin).href,
    verifyUrl: new URL(paths.verifyReceipt(issued.lang), origin).href,
  });
}

/** The sender, or null (logged) when this deployment sends no mail: then nothing is attempted or recorded. */
function senderOrNull(env: Env, recordId: string): string | null {
  try {
    const from = mailFrom(env);
    smtpConfig(env);
    return from;
  } catch (error) {
    if (error instanceof MailNotConfiguredError) console.warn(`declaration mails not sent for ${recordId}: ${error.message}`);
    else console.error('declaration mails', error);
    return null;
  }
}

/**
 * One attempt, claimed in `declaration_mails` first (so a mail is never sent twice at once);
 * a failure is `retry` until the last attempt, then `failed`. Never throws.
 */
async function attemptDeclarationMail(env: Env, purpose: DeclarationMailPurpose, message: MailMessage, recordId: string, attemptsBefore: number): Promise<void> {
  try {
    if (!(await claimDeclarationMail(env.DB, recordId, purpose, message.to, new Date()))) return;
    try {
      const { messageId } = await mailTransport(env).send(message);
      await markDeclarationMailSent(env.DB, recordId, purpose, messageId, new Date());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const state = attemptsBefore + 1 >= DECLARATION_MAIL_MAX_ATTEMPTS ? 'failed' : 'retry';
      console.error(`declaration ${purpose} mail ${state}`, reason);
      await markDeclarationMailFailed(env.DB, recordId, purpose, reason, state);
    }
  } catch (error) {
    console.error(`declaration ${purpose} mail not recorded`, error);
  }
}

/**
 * Sends the signer's receipt and the vendor's notice, each recorded in `declaration_mails`.
 * Never throws: the declaration stands whatever the mail does, and the evidence rows say what happened.
 */
export async function sendDeclarationMails(env: Env, manifest: Manifest, change: ManifestChange, origin: string, issued: IssuedDeclaration): Promise<void> {
  const from = senderOrNull(env, issued.recordId);
  if (from === null) return;
  for (const purpose of PURPOSES) {
    await attemptDeclarationMail(env, purpose, declarationMail(purpose, from, manifest, change, origin, issued), issued.recordId, 0);
  }
}

/** Cron: another attempt for every declaration mail whose last one failed. */
export async function retryDeclarationMails(env: Env, manifest: Manifest, origin: string): Promise<number> {
  const due = await dueDeclarationMails(env.DB);
  for (const mail of due) {
    const change = manifest.changes.find((candidate) => candidate.id === mail.change_id);
    const receiptKey = await reissuedCapability(env, mail.record_id, mail.receipt_key_sha256);
    if (change === undefined || receiptKey === null) {
      // Nothing left to say it with: the change is no longer published, or no listed data key gives the receipt link.
      const reason = change === undefined ? `change ${mail.change_id} is no longer published` : 'the receipt key cannot be derived with the data keys listed in ENCRYPTION_KEYS';
      await markDeclarationMailFailed(env.DB, mail.record_id, mail.purpose, `not sent: ${reason}`, 'failed');
      continue;
    }
    const from = senderOrNull(env, mail.record_id);
    if (from === null) return due.length;
    const issued = { recordId: mail.record_id, receiptKey, receiptJson: mail.receipt_json, lang: mail.lang };
    let message: MailMessage;
    try {
      message = declarationMail(mail.purpose, from, manifest, change, origin, issued);
    } catch (error) {
      // A redacted record keeps no receipt to send (and its personal data must not go out again).
      await markDeclarationMailFailed(env.DB, mail.record_id, mail.purpose, `not sent: ${error instanceof Error ? error.message : String(error)}`, 'failed');
      continue;
    }
    await attemptDeclarationMail(env, mail.purpose, message, mail.record_id, mail.attempts);
  }
  return due.length;
}

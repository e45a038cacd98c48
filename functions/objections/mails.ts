import type { DeclarationRecord } from '../../src/domain/declaration-record.ts';
import type { Manifest, ManifestChange } from '../../src/domain/manifest.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { paths, type Lang } from '../../src/lib/paths.ts';
import type { MailMessage } from '../mail/message.ts';
import { mailFrom, mailTransport, MailNotConfiguredError, smtpConfig } from '../mail/transport.ts';
import { declarationReceiptMail, vendorDeclarationMail } from './declaration-mails.ts';
import { claimDeclarationMail, markDeclarationMail } from './store.ts';

export interface IssuedDeclaration {
  recordId: string;
  receiptKey: string;
  receiptJson: string;
  lang: Lang;
}

/**
 * Sends the signer's receipt and the vendor's notice, each recorded in `declaration_mails`
 * (claimed before the attempt, so a mail is never sent twice). Never throws: the declaration
 * stands whatever the mail does, and the evidence rows say what happened.
 */
export async function sendDeclarationMails(env: Env, manifest: Manifest, change: ManifestChange, origin: string, issued: IssuedDeclaration): Promise<void> {
  let from: string;
  try {
    from = mailFrom(env);
    smtpConfig(env);
  } catch (error) {
    if (error instanceof MailNotConfiguredError) console.warn(`declaration mails not sent for ${issued.recordId}: ${error.message}`);
    else console.error('declaration mails', error);
    return;
  }
  const receipt = JSON.parse(issued.receiptJson) as Receipt<DeclarationRecord>;
  const common = { from, vendor: manifest.vendor, change, receipt, receiptJson: issued.receiptJson };
  const mails: Array<['receipt' | 'vendor-notice', MailMessage]> = [
    [
      'receipt',
      declarationReceiptMail({
        ...common,
        lang: issued.lang,
        receiptPageUrl: new URL(paths.declarationReceipt(issued.lang, issued.recordId, issued.receiptKey), origin).href,
        verifyUrl: new URL(paths.verifyReceipt(issued.lang), origin).href,
      }),
    ],
    ['vendor-notice', vendorDeclarationMail({ ...common, to: manifest.declarationContact.email })],
  ];
  for (const [purpose, message] of mails) {
    try {
      if (!(await claimDeclarationMail(env.DB, issued.recordId, purpose, message.to, new Date()))) continue;
      try {
        const { messageId } = await mailTransport(env).send(message);
        await markDeclarationMail(env.DB, issued.recordId, purpose, { state: 'sent', messageId, at: new Date() });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`declaration ${purpose} mail failed`, reason);
        await markDeclarationMail(env.DB, issued.recordId, purpose, { state: 'failed', error: reason });
      }
    } catch (error) {
      console.error(`declaration ${purpose} mail not recorded`, error);
    }
  }
}

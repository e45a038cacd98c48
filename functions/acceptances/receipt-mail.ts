import type { Receipt } from '../../src/domain/receipt.ts';
import { receiptFileName, type Lang } from '../../src/lib/paths.ts';
import { paragraphsHtml } from '../mail/html-body.ts';
import type { MailMessage } from '../mail/message.ts';
import { t, tf } from '../../src/i18n/ui.ts';

export interface ReceiptMailInput {
  from: string;
  lang: Lang;
  /** Vendor's legal name (manifest). */
  vendor: string;
  receipt: Receipt;
  /** The receipt exactly as issued: attached unchanged, so its signature still verifies. */
  receiptJson: string;
  /** Absolute URL of the receipt page (with its capability key). */
  receiptPageUrl: string;
  /** Absolute URL of the verify page. */
  verifyUrl: string;
}

/**
 * The confirmation the accept form promises: what was accepted, when, by whom, the link to the
 * receipt page and the signed receipt as an attachment, which is the evidence to keep.
 */
export function receiptMail(input: ReceiptMailInput): MailMessage {
  const { record } = input.receipt;
  const { lang } = input;
  const document = input.receipt.documentUrl ?? record.documentSha256;
  const subject = tf(lang, 'receiptMailSubject', { version: record.avvVersion, vendor: input.vendor });
  const paragraphs = [
    tf(lang, 'receiptMailGreeting', { name: record.signerName }),
    tf(lang, 'receiptMailAccepted', { acceptedAt: record.acceptedAt, company: record.companyName, version: record.avvVersion, vendor: input.vendor }),
    tf(lang, 'receiptMailDocument', { sha256: record.documentSha256, document }),
    tf(lang, 'receiptMailReceipt', { recordId: record.recordId, leafIndex: input.receipt.leafIndex, url: input.receiptPageUrl }),
    tf(lang, 'receiptMailAttachment', { verifyUrl: input.verifyUrl }),
    t(lang, 'receiptMailAutomatic'),
  ];
  const html = paragraphsHtml(subject, input.lang, paragraphs, { href: input.receiptPageUrl, text: t(lang, 'receiptMailView') });
  return {
    from: input.from,
    to: record.signerEmail,
    subject,
    text: paragraphs.join('\n\n'),
    html,
    headers: { 'Content-Language': input.lang, 'Auto-Submitted': 'auto-generated' },
    attachments: [{ filename: receiptFileName('acceptance', record.recordId), contentType: 'application/json', content: input.receiptJson }],
  };
}

import type { Receipt } from '../../src/domain/receipt.ts';
import type { Lang } from '../../src/lib/paths.ts';
import type { MailMessage } from '../mail/message.ts';
import { escapeHtml } from '../../src/lib/escape-html.ts';
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
  const html = [
    `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
    `<p><a href="${escapeHtml(input.receiptPageUrl)}">${escapeHtml(t(lang, 'receiptMailView'))}</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    from: input.from,
    to: record.signerEmail,
    subject,
    text: paragraphs.join('\n\n'),
    html,
    headers: { 'Content-Language': input.lang, 'Auto-Submitted': 'auto-generated' },
    attachments: [{ filename: `avv-receipt-${record.recordId}.json`, contentType: 'application/json', content: input.receiptJson }],
  };
}

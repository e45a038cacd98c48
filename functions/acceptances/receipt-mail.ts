import type { Receipt } from '../../src/domain/receipt.ts';
import type { Lang } from '../../src/lib/paths.ts';
import type { MailMessage } from '../mail/message.ts';
import { escapeHtml } from '../subscriptions/html.ts';

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
  const de = input.lang === 'de';
  const document = input.receipt.documentUrl ?? record.documentSha256;
  const subject = de ? `Quittung: AVV ${record.avvVersion} angenommen – ${input.vendor}` : `Receipt: DPA ${record.avvVersion} accepted – ${input.vendor}`;
  const paragraphs = de
    ? [
        `Guten Tag ${record.signerName},`,
        `Sie haben am ${record.acceptedAt} (UTC) für ${record.companyName} den Vertrag zur Auftragsverarbeitung (AVV) Fassung ${record.avvVersion} von ${input.vendor} angenommen.`,
        `Angenommenes Dokument (SHA-256 ${record.documentSha256}):\n${document}`,
        `Ihre Quittung (Eintrag ${record.recordId}, Protokollposition ${input.receipt.leafIndex}) finden Sie hier:\n${input.receiptPageUrl}`,
        `Die signierte Quittung hängt als JSON-Datei an. Bewahren Sie sie auf: Sie belegt die Annahme auch ohne diese Website. Prüfen können Sie sie unter ${input.verifyUrl}.`,
        'Diese Nachricht wurde automatisch versandt.',
      ]
    : [
        `Hello ${record.signerName},`,
        `On ${record.acceptedAt} (UTC) you accepted version ${record.avvVersion} of the data processing agreement (AVV) of ${input.vendor} for ${record.companyName}.`,
        `Accepted document (SHA-256 ${record.documentSha256}):\n${document}`,
        `Your receipt (record ${record.recordId}, log position ${input.receipt.leafIndex}) is here:\n${input.receiptPageUrl}`,
        `The signed receipt is attached as a JSON file. Keep it: it proves the acceptance even without this website. You can check it at ${input.verifyUrl}.`,
        'This message was sent automatically.',
      ];
  const html = [
    `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
    `<p><a href="${escapeHtml(input.receiptPageUrl)}">${de ? 'Quittung ansehen' : 'View receipt'}</a></p>`,
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

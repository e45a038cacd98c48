import type { DeclarationRecord } from '../../src/domain/declaration-record.ts';
import type { ManifestChange } from '../../src/domain/manifest.ts';
import type { Receipt } from '../../src/domain/receipt.ts';
import { consentWithdrawalFact } from '../../src/i18n/change-terms-text.ts';
import { customerDeadlineText, declarationKindName } from '../../src/i18n/declaration-text.ts';
import { t, tf } from '../../src/i18n/ui.ts';
import { receiptFileName, type Lang } from '../../src/lib/paths.ts';
import { paragraphsHtml } from '../mail/html-body.ts';
import type { MailMessage } from '../mail/message.ts';

/**
 * The two mails a stored declaration causes: the receipt to the signer (what was declared, when,
 * against which deadline, with the signed receipt attached unchanged) and the notice to the
 * vendor's declaration contact (manifest `declarationContact`, from vendor.yaml), so the privacy
 * team learns of it without watching the log.
 */
export interface DeclarationMailInput {
  from: string;
  lang: Lang;
  /** Vendor's legal name (manifest). */
  vendor: string;
  change: ManifestChange;
  receipt: Receipt<DeclarationRecord>;
  /** The receipt exactly as issued: attached unchanged, so its signature still verifies. */
  receiptJson: string;
  receiptPageUrl: string;
  verifyUrl: string;
}

function changeTitle(change: ManifestChange, lang: Lang): string {
  return lang === 'en' ? (change.titleEn ?? change.title) : change.title;
}

export function declarationReceiptMail(input: DeclarationMailInput): MailMessage {
  const { record } = input.receipt;
  const { lang } = input;
  const kind = declarationKindName(record.kind, lang);
  const change = changeTitle(input.change, lang);
  const subject = tf(lang, 'declarationMailSubject', { kind, change, vendor: input.vendor });
  // Whoever consented learns how to take it back, as on the receipt page the mail links to.
  const withdrawal = record.kind === 'consent' ? consentWithdrawalFact(input.change.terms, lang) : undefined;
  const paragraphs = [
    tf(lang, 'receiptMailGreeting', { name: record.signerName }),
    tf(lang, 'declarationMailReceived', { declaredAt: record.declaredAt, kind, company: record.companyName, account: record.accountId, change, vendor: input.vendor }),
    ...(record.deadline && record.countedFrom && record.countedFromDay ? [tf(lang, 'declarationMailWindow', { deadline: customerDeadlineText(record.deadline, record.countedFrom, record.countedFromDay, lang) })] : []),
    ...(record.requiredForm === 'schriftform' ? [t(lang, 'declareFormSchriftform')] : []),
    ...(withdrawal ? [`${withdrawal.label}: ${withdrawal.value}`] : []),
    tf(lang, 'declarationMailReceipt', { recordId: record.recordId, leafIndex: input.receipt.leafIndex, url: input.receiptPageUrl }),
    tf(lang, 'declarationMailAttachment', { verifyUrl: input.verifyUrl }),
    t(lang, 'receiptMailAutomatic'),
  ];
  return {
    from: input.from,
    to: record.signerEmail,
    subject,
    text: paragraphs.join('\n\n'),
    html: paragraphsHtml(subject, lang, paragraphs, { href: input.receiptPageUrl, text: t(lang, 'receiptMailView') }),
    headers: { 'Content-Language': lang, 'Auto-Submitted': 'auto-generated' },
    attachments: [{ filename: receiptFileName('declaration', record.recordId), contentType: 'application/json', content: input.receiptJson }],
  };
}

/**
 * To the privacy team, in German (the contract language). Typed input is quoted under labels,
 * one per line, so nothing a customer types reads as the vendor's own words.
 */
export function vendorDeclarationMail(input: Omit<DeclarationMailInput, 'lang' | 'receiptPageUrl' | 'verifyUrl'> & { to: string }): MailMessage {
  const lang: Lang = 'de';
  const { record } = input.receipt;
  const kind = declarationKindName(record.kind, lang);
  const subject = tf(lang, 'vendorDeclarationSubject', { kind, change: input.change.id, company: record.companyName, account: record.accountId }).replace(/[\r\n]+/g, ' ');
  const facts: Array<[string, string]> = [
    [t(lang, 'declarationReceiptKind'), kind],
    [t(lang, 'declarationReceiptChange'), `${input.change.title} (${input.change.id})`],
    [t(lang, 'declarationReceiptReceivedAt'), record.declaredAt],
    [t(lang, 'vendorDeclarationDeadline'), record.deadline && record.countedFrom && record.countedFromDay ? customerDeadlineText(record.deadline, record.countedFrom, record.countedFromDay, lang, 'vendor') : t(lang, 'declarationReceiptNoDeadline')],
    [t(lang, 'acceptCompanyName'), record.companyName],
    [t(lang, 'declareAccountId'), record.accountId],
    [t(lang, 'acceptSignerName'), `${record.signerName} (${record.signerRole})`],
    [t(lang, 'acceptSignerEmail'), record.signerEmail],
    ...(record.reason ? [[t(lang, 'declareReason'), record.reason] as [string, string]] : []),
    ...(record.withdraws ? [[t(lang, 'declarationReceiptWithdraws'), record.withdraws] as [string, string]] : []),
  ];
  const paragraphs = [
    t(lang, 'vendorDeclarationIntro'),
    facts.map(([label, value]) => `${label}: ${value}`).join('\n'),
    ...(record.requiredForm === 'schriftform' ? [t(lang, 'vendorDeclarationSchriftform')] : []),
    tf(lang, 'vendorDeclarationEvidence', { recordId: record.recordId, leafIndex: input.receipt.leafIndex }),
    t(lang, 'receiptMailAutomatic'),
  ];
  return {
    from: input.from,
    to: input.to,
    // A reply goes to the customer who declared, not back to the trust center's sender.
    replyTo: record.signerEmail,
    subject,
    text: paragraphs.join('\n\n'),
    html: paragraphsHtml(subject, lang, paragraphs),
    headers: { 'Content-Language': lang, 'Auto-Submitted': 'auto-generated' },
  };
}

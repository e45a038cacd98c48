import { buildMime, bulkMime, type BulkMail, type BulkRecipient } from './mime.ts';
import { envelopeAddress, type MailMessage } from './message.ts';
import type { SmtpEnvelope } from './smtp.ts';

/** A mail encoded for submission: its SMTP envelope and its Message-ID. */
export interface EncodedMail {
  messageId: string;
  envelope: SmtpEnvelope;
}

/** One message as MIME with its envelope. */
export function encodeMail(message: MailMessage): EncodedMail {
  const { raw, messageId } = buildMime(message);
  return { messageId, envelope: { from: envelopeAddress(message.from), to: envelopeAddress(message.to), raw } };
}

/** A fan-out's encoder: the shared parts are encoded once (mime.ts `bulkMime`), then one mail per recipient. */
export function bulkMailEncoder(mail: BulkMail): (recipient: BulkRecipient) => EncodedMail {
  const encode = bulkMime(mail);
  const from = envelopeAddress(mail.from);
  return (recipient) => {
    const { raw, messageId } = encode(recipient);
    return { messageId, envelope: { from, to: envelopeAddress(recipient.to), raw } };
  };
}

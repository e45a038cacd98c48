import type { Manifest } from '../../src/domain/manifest.ts';
import { bulkMailEncoder, type EncodedMail } from '../mail/encoded-mail.ts';
import type { BulkRecipient } from '../mail/mime.ts';
import { unsubscribeHeadersFor, unsubscribeUrl } from '../subscriptions/unsubscribe.ts';
import type { ClaimedNotice } from './consumer.ts';
import { noticeMail } from './notice-content.ts';

/**
 * Encodes notice mails: the mail of an event is composed and MIME-encoded once per language and
 * receipt day (the key of its text), each notice then adds its recipient's address, Message-ID
 * and unsubscribe link (one HMAC). Its own module, free of the SMTP client, so that the benchmark
 * can time it in Node.
 */
export function noticeMailEncoder(env: Env, manifest: Manifest, from: string): (notice: ClaimedNotice) => Promise<EncodedMail> {
  const site = new URL(manifest.siteUrl);
  const encoders = new Map<string, { encode: (recipient: BulkRecipient) => EncodedMail; unsubscribeLine: (url: string) => string }>();
  const encoderFor = ({ event, facts }: ClaimedNotice) => {
    const key = JSON.stringify([event.id, facts.lang, facts.receivedOn, facts.objectionDeadline]);
    let encoder = encoders.get(key);
    if (!encoder) {
      const { subject, textHead, unsubscribeLine } = noticeMail(manifest, event, facts);
      const encode = bulkMailEncoder({
        from,
        // Replying to a change notice is objecting: the answer goes to whoever receives objections.
        ...(event.topic === 'subprocessor-changes' && { replyTo: `${manifest.declarationContact.name} <${manifest.declarationContact.email}>` }),
        subject,
        textHead,
        headers: { 'Content-Language': facts.lang },
      });
      encoder = { encode, unsubscribeLine };
      encoders.set(key, encoder);
    }
    return encoder;
  };
  return async (notice) => {
    const { delivery } = notice;
    const unsubscribe = await unsubscribeUrl(env, site.origin, delivery.recipientId);
    const { encode, unsubscribeLine } = encoderFor(notice);
    return encode({ to: delivery.recipientAddress, messageId: `${delivery.id}@${site.hostname}`, textTail: unsubscribeLine(unsubscribe), headers: unsubscribeHeadersFor(unsubscribe) });
  };
}

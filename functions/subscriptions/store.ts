import { z } from 'zod';
import { NoticeTopicsJsonSchema, type NoticeTopic } from '../../src/domain/notice-topics.ts';
import type { Lang } from '../../src/lib/paths.ts';

/** A subscriber who confirmed and has not unsubscribed: the only kind that receives notices. */
export interface ConfirmedSubscriber {
  id: string;
  email: string;
  lang: Lang;
  topics: NoticeTopic[];
  /** When the latest sign-up was confirmed (UTC ISO 8601). */
  confirmedAt: string;
}

/** One sign-up as the confirmation page needs it. */
export interface SignUpRequest {
  id: number;
  subscriberId: string;
  email: string;
  topics: NoticeTopic[];
  lang: Lang;
  expiresAt: string;
  confirmedAt: string | null;
}

const LangSchema = z.enum(['de', 'en']);
const TopicsJson = NoticeTopicsJsonSchema;

const IdRow = z.object({ id: z.string() });
const ConfirmedRow = z.object({ id: z.string(), email: z.string(), lang: LangSchema, topics: TopicsJson, confirmed_at: z.string() });
const RequestRow = z.object({
  id: z.number(),
  subscriber_id: z.string(),
  email: z.string(),
  topics: TopicsJson,
  lang: LangSchema,
  expires_at: z.string(),
  confirmed_at: z.string().nullable(),
});

/** The form of an address we store and compare: trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewSignUp {
  email: string;
  topics: NoticeTopic[];
  lang: Lang;
  wordingVersion: string;
  ip: string | null;
  now: Date;
  tokenSha256: string;
  expiresAt: Date;
}

/**
 * Records a sign-up: the subscriber row if the address is new (a known address keeps its row,
 * status and topics until the new sign-up is confirmed) and the consent request, in one
 * transaction.
 */
export async function recordSignUp(db: D1Database, signUp: NewSignUp): Promise<{ requestId: number; subscriberId: string }> {
  const email = normalizeEmail(signUp.email);
  const now = signUp.now.toISOString();
  const [, inserted] = await db.batch<{ id: number; subscriber_id: string }>([
    db
      .prepare("INSERT INTO subscribers (id, email, lang, status, created_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (email) DO NOTHING")
      .bind(newSubscriberId(), email, signUp.lang, now),
    db
      .prepare(
        `INSERT INTO subscription_requests (subscriber_id, token_sha256, topics, lang, wording_version, requested_at, requested_ip, expires_at)
         SELECT id, ?, ?, ?, ?, ?, ?, ? FROM subscribers WHERE email = ? RETURNING id, subscriber_id`,
      )
      .bind(signUp.tokenSha256, JSON.stringify(signUp.topics), signUp.lang, signUp.wordingVersion, now, signUp.ip, signUp.expiresAt.toISOString(), email),
  ]);
  const row = inserted?.results[0];
  if (!row) throw new Error('sign-up was not stored');
  return { requestId: row.id, subscriberId: row.subscriber_id };
}

/** Keeps the confirmation mail's Message-ID with the consent proof. */
export async function recordConfirmationMail(db: D1Database, requestId: number, messageId: string): Promise<void> {
  await db.prepare('UPDATE subscription_requests SET confirmation_message_id = ? WHERE id = ?').bind(messageId, requestId).run();
}

/** Removes a sign-up whose confirmation mail could not be sent (and its subscriber if it has nothing else). */
export async function discardSignUp(db: D1Database, requestId: number, subscriberId: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM subscription_requests WHERE id = ? AND confirmed_at IS NULL').bind(requestId),
    db
      .prepare("DELETE FROM subscribers WHERE id = ? AND status = 'pending' AND NOT EXISTS (SELECT 1 FROM subscription_requests WHERE subscriber_id = subscribers.id)")
      .bind(subscriberId),
  ]);
}

export async function findSignUp(db: D1Database, tokenSha256: string): Promise<SignUpRequest | null> {
  const row = await db
    .prepare(
      `SELECT r.id, r.subscriber_id, s.email, r.topics, r.lang, r.expires_at, r.confirmed_at
       FROM subscription_requests r JOIN subscribers s ON s.id = r.subscriber_id WHERE r.token_sha256 = ?`,
    )
    .bind(tokenSha256)
    .first();
  if (row === null) return null;
  const parsed = RequestRow.parse(row);
  return {
    id: parsed.id,
    subscriberId: parsed.subscriber_id,
    email: parsed.email,
    topics: parsed.topics,
    lang: parsed.lang,
    expiresAt: parsed.expires_at,
    confirmedAt: parsed.confirmed_at,
  };
}

/**
 * Confirms a sign-up once: marks the request confirmed (time and IP are the consent proof) and
 * makes the subscriber confirmed with the request's topics and language, in one transaction.
 * Other unconfirmed sign-ups of the same address are dropped, so an older link cannot undo the
 * choice just confirmed. False when the request was confirmed already (a concurrent click).
 */
export async function confirmSignUp(db: D1Database, request: SignUpRequest, now: Date, ip: string | null): Promise<boolean> {
  const at = now.toISOString();
  const [marked] = await db.batch([
    db.prepare('UPDATE subscription_requests SET confirmed_at = ?, confirmed_ip = ? WHERE id = ? AND confirmed_at IS NULL').bind(at, ip, request.id),
    db
      .prepare(
        `UPDATE subscribers SET status = 'confirmed', topics = ?, lang = ?, confirmed_at = ?, unsubscribed_at = NULL, unsubscribed_via = NULL
         WHERE id = ? AND (SELECT confirmed_at FROM subscription_requests WHERE id = ?) = ?`,
      )
      .bind(JSON.stringify(request.topics), request.lang, at, request.subscriberId, request.id, at),
    db.prepare('DELETE FROM subscription_requests WHERE subscriber_id = ? AND confirmed_at IS NULL AND id <> ?').bind(request.subscriberId, request.id),
  ]);
  return (marked?.meta.changes ?? 0) === 1;
}

export type UnsubscribeOutcome = 'unsubscribed' | 'already-unsubscribed' | 'unknown';

/** Stops all notices to a subscriber; repeating it changes nothing. */
export async function unsubscribe(db: D1Database, subscriberId: string, now: Date, via: 'one-click' | 'page'): Promise<UnsubscribeOutcome> {
  const [updated, current] = await db.batch<{ status: string }>([
    db
      .prepare("UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ?, unsubscribed_via = ? WHERE id = ? AND status <> 'unsubscribed'")
      .bind(now.toISOString(), via, subscriberId),
    db.prepare('SELECT status FROM subscribers WHERE id = ?').bind(subscriberId),
  ]);
  if ((updated?.meta.changes ?? 0) === 1) return 'unsubscribed';
  return current?.results[0] ? 'already-unsubscribed' : 'unknown';
}

/** The language a subscriber reads (for pages reached without a language in the URL). */
export async function subscriberLang(db: D1Database, subscriberId: string): Promise<Lang | null> {
  const row = await db.prepare('SELECT lang FROM subscribers WHERE id = ?').bind(subscriberId).first();
  return row === null ? null : z.object({ lang: LangSchema }).parse(row).lang;
}

/** Whether a subscriber is (still) confirmed: one who unsubscribed after a fan-out gets nothing. */
export async function isConfirmedSubscriber(db: D1Database, subscriberId: string): Promise<boolean> {
  const row = await db.prepare('SELECT status FROM subscribers WHERE id = ?').bind(subscriberId).first();
  return row !== null && z.object({ status: z.string() }).parse(row).status === 'confirmed';
}

/**
 * One page of confirmed subscribers of `topic`, ordered by id: pass the last id of a page as
 * `afterId` for the next ('' for the first).
 */
export async function listConfirmedSubscribers(db: D1Database, topic: NoticeTopic, afterId: string, limit: number): Promise<ConfirmedSubscriber[]> {
  const { results } = await db
    .prepare(
      `SELECT id, email, lang, topics, confirmed_at FROM subscribers
       WHERE status = 'confirmed' AND id > ? AND EXISTS (SELECT 1 FROM json_each(subscribers.topics) WHERE value = ?)
       ORDER BY id LIMIT ?`,
    )
    .bind(afterId, topic, limit)
    .all();
  return results.map((row) => {
    const parsed = ConfirmedRow.parse(row);
    return { id: parsed.id, email: parsed.email, lang: parsed.lang, topics: parsed.topics, confirmedAt: parsed.confirmed_at };
  });
}

/**
 * Which of `ids` are confirmed subscribers right now (one query for a whole queue batch): a
 * notice to anyone else is not sent, since they unsubscribed after the fan-out.
 */
export async function confirmedSubscriberIds(db: D1Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { results } = await db
    .prepare(`SELECT id FROM subscribers WHERE status = 'confirmed' AND id IN (SELECT value FROM json_each(?))`)
    .bind(JSON.stringify(ids))
    .all();
  return new Set(results.map((row) => IdRow.parse(row).id));
}

/**
 * Deletes sign-ups made before `cutoff` and never confirmed, and subscribers left with neither a
 * confirmation nor a pending sign-up (privacy notice rule "unconfirmed-sign-ups"; the cutoff is
 * computed from its period, src/domain/retention.ts). Confirmed consent proof is never deleted
 * here. Returns the number of sign-ups removed.
 */
export async function purgeUnconfirmed(db: D1Database, cutoff: Date): Promise<number> {
  const before = cutoff.toISOString();
  const [requests] = await db.batch([
    db.prepare('DELETE FROM subscription_requests WHERE confirmed_at IS NULL AND requested_at < ?').bind(before),
    db
      .prepare("DELETE FROM subscribers WHERE status = 'pending' AND created_at < ? AND NOT EXISTS (SELECT 1 FROM subscription_requests WHERE subscriber_id = subscribers.id)")
      .bind(before),
  ]);
  return requests?.meta.changes ?? 0;
}

/**
 * Deletes what is kept of addresses that unsubscribed before `cutoff` (rule
 * "unsubscribed-subscribers": the end of the calendar year of unsubscribing plus the stated
 * years): the address, every consent proof of it and the delivery records of the notices it
 * received (notice_deliveries names the address; the notices feature keeps no other copy). An
 * address that signed up again and has a sign-up pending is left to the unconfirmed purge.
 * Returns the number of addresses removed.
 */
export async function purgeUnsubscribed(db: D1Database, cutoff: Date): Promise<number> {
  const due = `SELECT id FROM subscribers WHERE status = 'unsubscribed' AND unsubscribed_at < ?1
    AND NOT EXISTS (SELECT 1 FROM subscription_requests WHERE subscriber_id = subscribers.id AND confirmed_at IS NULL)`;
  const before = cutoff.toISOString();
  const [, , subscribers] = await db.batch([
    db.prepare(`DELETE FROM notice_deliveries WHERE channel = 'email' AND recipient_id IN (${due})`).bind(before),
    db.prepare(`DELETE FROM subscription_requests WHERE subscriber_id IN (${due})`).bind(before),
    db.prepare(`DELETE FROM subscribers WHERE id IN (${due})`).bind(before),
  ]);
  return subscribers?.meta.changes ?? 0;
}

/** 128 random bits, base64url: unguessable, and sortable for paging. */
function newSubscriberId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sub_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** A subscriber's address and state, for the unsubscribe page. */
export async function findSubscriber(db: D1Database, subscriberId: string): Promise<{ email: string; status: string; lang: Lang } | null> {
  const row = await db.prepare('SELECT email, status, lang FROM subscribers WHERE id = ?').bind(subscriberId).first();
  if (row === null) return null;
  return z.object({ email: z.string(), status: z.string(), lang: LangSchema }).parse(row);
}

import { z } from 'zod';
import { NoticeTopicsJsonSchema, type NoticeTopic } from '../../src/domain/notice-topics.ts';
import { open, seal } from '../lib/data-keys.ts';

/** A webhook endpoint as stored in `webhook_endpoints`. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  topics: NoticeTopic[];
  ownerEmail: string;
  lang: 'de' | 'en';
  status: 'pending' | 'active' | 'disabled';
  /** The `whsec_…` signing secret in clear, opened from its sealed column (null until confirmed). */
  secret: string | null;
  disabledReason: string | null;
}

const TopicsJson = NoticeTopicsJsonSchema;

const EndpointRow = z.object({
  id: z.string(),
  url: z.string(),
  topics: TopicsJson,
  owner_email: z.string(),
  lang: z.enum(['de', 'en']),
  status: z.enum(['pending', 'active', 'disabled']),
  secret: z.string().nullable(),
  disabled_reason: z.string().nullable(),
});
const PendingRow = EndpointRow.extend({ confirm_expires_at: z.string() });
const RecipientRow = z.object({ id: z.string(), url: z.string(), lang: z.enum(['de', 'en']) });

const COLUMNS = 'id, url, topics, owner_email, lang, status, secret, disabled_reason';

/**
 * Signing secrets are stored sealed (AES-GCM under ENCRYPTION_KEYS, functions/lib/data-keys.ts):
 * a copy of the database cannot forge deliveries. Rows confirmed before that hold the
 * `whsec_` secret itself and are read as they are.
 */
async function endpointOf(env: Env, row: unknown): Promise<WebhookEndpoint> {
  const parsed = EndpointRow.parse(row);
  const secret = parsed.secret === null || parsed.secret.startsWith('whsec_') ? parsed.secret : await open(env, 'webhook-secret', parsed.secret);
  return {
    id: parsed.id,
    url: parsed.url,
    topics: parsed.topics,
    ownerEmail: parsed.owner_email,
    lang: parsed.lang,
    status: parsed.status,
    secret,
    disabledReason: parsed.disabled_reason,
  };
}

export async function loadEndpoint(env: Env, id: string): Promise<WebhookEndpoint | null> {
  const row = await env.DB.prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ?`).bind(id).first();
  return row ? endpointOf(env, row) : null;
}

/** Disables an active endpoint; null when it was not active (someone else disabled it first). */
export async function disableEndpoint(env: Env, id: string, reason: string, now: Date): Promise<WebhookEndpoint | null> {
  const row = await env.DB.prepare(`UPDATE webhook_endpoints SET status = 'disabled', disabled_at = ?, disabled_reason = ? WHERE id = ? AND status = 'active' RETURNING ${COLUMNS}`)
    .bind(now.toISOString(), reason, id)
    .first();
  return row ? endpointOf(env, row) : null;
}

/** Registers a pending endpoint with the hash of its confirmation token. */
export async function insertPendingEndpoint(
  db: D1Database,
  endpoint: { id: string; url: string; topics: NoticeTopic[]; ownerEmail: string; lang: 'de' | 'en'; tokenSha256: string; expiresAt: Date; ip: string | null },
  now: Date,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO webhook_endpoints (id, url, topics, owner_email, lang, status, confirm_token_sha256, confirm_expires_at, registered_at, registered_ip)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    )
    .bind(endpoint.id, endpoint.url, JSON.stringify(endpoint.topics), endpoint.ownerEmail, endpoint.lang, endpoint.tokenSha256, endpoint.expiresAt.toISOString(), now.toISOString(), endpoint.ip)
    .run();
}

/** Removes a registration whose confirmation mail could not be sent. */
export async function deletePendingEndpoint(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM webhook_endpoints WHERE id = ? AND status = 'pending'").bind(id).run();
}

/** A pending endpoint by its token hash, for the confirm page. */
export async function pendingByToken(db: D1Database, tokenSha256: string): Promise<{ url: string; topics: NoticeTopic[]; lang: 'de' | 'en'; expiresAt: string } | null> {
  const row = await db.prepare(`SELECT ${COLUMNS}, confirm_expires_at FROM webhook_endpoints WHERE confirm_token_sha256 = ? AND status = 'pending'`).bind(tokenSha256).first();
  if (!row) return null;
  const parsed = PendingRow.parse(row);
  return { url: parsed.url, topics: parsed.topics, lang: parsed.lang, expiresAt: parsed.confirm_expires_at };
}

/**
 * Activates the endpoint the token belongs to and stores its new secret, sealed; the token is
 * spent in the same statement, so it works once. Null when the token is unknown, used or expired.
 */
export async function confirmEndpoint(env: Env, tokenSha256: string, secret: string, ip: string | null, now: Date): Promise<WebhookEndpoint | null> {
  const row = await env.DB.prepare(
    `UPDATE webhook_endpoints SET status = 'active', secret = ?, confirm_token_sha256 = NULL, confirmed_at = ?, confirmed_ip = ?
     WHERE confirm_token_sha256 = ? AND status = 'pending' AND confirm_expires_at > ? RETURNING ${COLUMNS}`,
  )
    .bind(await seal(env, 'webhook-secret', secret), now.toISOString(), ip, tokenSha256, now.toISOString())
    .first();
  return row ? endpointOf(env, row) : null;
}

/**
 * One page of active endpoints of `topic`, ordered by id: pass the last id of a page as
 * `afterId` for the next ('' for the first).
 */
export async function listActiveEndpoints(db: D1Database, topic: NoticeTopic, afterId: string, limit: number): Promise<Array<{ id: string; url: string; lang: 'de' | 'en' }>> {
  const { results } = await db
    .prepare(
      `SELECT id, url, lang FROM webhook_endpoints
       WHERE status = 'active' AND id > ? AND EXISTS (SELECT 1 FROM json_each(webhook_endpoints.topics) WHERE json_each.value = ?)
       ORDER BY id LIMIT ?`,
    )
    .bind(afterId, topic, limit)
    .all();
  return results.map((row) => RecipientRow.parse(row));
}

/**
 * Deletes registrations made before `cutoff` and never confirmed (privacy notice rule
 * "unconfirmed-webhooks"; longer than the link works). They hold a stranger-supplied URL and
 * someone's address and will never receive anything.
 */
export async function purgeUnconfirmedEndpoints(db: D1Database, cutoff: Date): Promise<number> {
  const result = await db.prepare("DELETE FROM webhook_endpoints WHERE status = 'pending' AND registered_at < ?").bind(cutoff.toISOString()).run();
  return result.meta.changes ?? 0;
}

/**
 * Deletes endpoints disabled before `cutoff` (rule "disabled-webhooks": the end of the calendar
 * year of disabling plus the stated years) with their registration proof and the delivery
 * records of the notices sent to them (notice_deliveries holds their URL). Returns the number
 * of endpoints removed.
 */
export async function purgeDisabledEndpoints(db: D1Database, cutoff: Date): Promise<number> {
  const due = "SELECT id FROM webhook_endpoints WHERE status = 'disabled' AND disabled_at < ?1";
  const before = cutoff.toISOString();
  const [, endpoints] = await db.batch([
    db.prepare(`DELETE FROM notice_deliveries WHERE channel = 'webhook' AND recipient_id IN (${due})`).bind(before),
    db.prepare(`DELETE FROM webhook_endpoints WHERE id IN (${due})`).bind(before),
  ]);
  return endpoints?.meta.changes ?? 0;
}

import { NoticeTopicSchema, type NoticeTopic } from '../../src/domain/notice-topics.ts';
import { z } from 'zod';

/** A webhook endpoint as stored in `webhook_endpoints`. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  topics: NoticeTopic[];
  ownerEmail: string;
  lang: 'de' | 'en';
  status: 'pending' | 'active' | 'disabled';
  secret: string | null;
  disabledReason: string | null;
}

interface EndpointRow {
  id: string;
  url: string;
  topics: string;
  owner_email: string;
  lang: 'de' | 'en';
  status: WebhookEndpoint['status'];
  secret: string | null;
  disabled_reason: string | null;
}

const TopicsSchema = z.array(NoticeTopicSchema);

function endpointOf(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    topics: TopicsSchema.parse(JSON.parse(row.topics)),
    ownerEmail: row.owner_email,
    lang: row.lang,
    status: row.status,
    secret: row.secret,
    disabledReason: row.disabled_reason,
  };
}

const COLUMNS = 'id, url, topics, owner_email, lang, status, secret, disabled_reason';

export async function loadEndpoint(db: D1Database, id: string): Promise<WebhookEndpoint | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ?`).bind(id).first<EndpointRow>();
  return row ? endpointOf(row) : null;
}

/** Disables an active endpoint; null when it was not active (someone else disabled it first). */
export async function disableEndpoint(db: D1Database, id: string, reason: string, now: Date): Promise<WebhookEndpoint | null> {
  const row = await db
    .prepare(`UPDATE webhook_endpoints SET status = 'disabled', disabled_at = ?, disabled_reason = ? WHERE id = ? AND status = 'active' RETURNING ${COLUMNS}`)
    .bind(now.toISOString(), reason, id)
    .first<EndpointRow>();
  return row ? endpointOf(row) : null;
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

/** A pending endpoint by its token hash, for the confirm page. */
export async function pendingByToken(db: D1Database, tokenSha256: string): Promise<(WebhookEndpoint & { expiresAt: string }) | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, confirm_expires_at FROM webhook_endpoints WHERE confirm_token_sha256 = ? AND status = 'pending'`)
    .bind(tokenSha256)
    .first<EndpointRow & { confirm_expires_at: string }>();
  return row ? { ...endpointOf(row), expiresAt: row.confirm_expires_at } : null;
}

/**
 * Activates the endpoint the token belongs to and stores its new secret; the token is spent in
 * the same statement, so it works once. Null when the token is unknown, used or expired.
 */
export async function confirmEndpoint(db: D1Database, tokenSha256: string, secret: string, ip: string | null, now: Date): Promise<WebhookEndpoint | null> {
  const row = await db
    .prepare(
      `UPDATE webhook_endpoints SET status = 'active', secret = ?, confirm_token_sha256 = NULL, confirmed_at = ?, confirmed_ip = ?
       WHERE confirm_token_sha256 = ? AND status = 'pending' AND confirm_expires_at > ? RETURNING ${COLUMNS}`,
    )
    .bind(secret, now.toISOString(), ip, tokenSha256, now.toISOString())
    .first<EndpointRow>();
  return row ? endpointOf(row) : null;
}

import { z } from 'zod';

/** How the actor of an admin request was identified (admin_audit.auth). */
export type AdminAuth = 'access' | 'dev-sign-in' | 'admin-token' | 'none';

/** One admin request as the audit trail keeps it (migration 0012). */
export interface AuditEntry {
  at: string;
  /** E-mail Access vouched for, the development sign-in's name, `admin-token`, or null when refused unidentified. */
  actor: string | null;
  auth: AdminAuth;
  method: string;
  path: string;
  /** What the request did: `view`, `export`, `send-invitations`, `verify-ledger`, `sign-in` … */
  action: string;
  outcome: 'allowed' | 'refused';
  status: number;
  ip: string | null;
}

const AuditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string().nullable(),
  auth: z.enum(['access', 'dev-sign-in', 'admin-token', 'none']),
  method: z.string(),
  path: z.string(),
  action: z.string(),
  outcome: z.enum(['allowed', 'refused']),
  status: z.number().int(),
  ip: z.string().nullable(),
});
export type AuditRow = z.output<typeof AuditRowSchema>;

/** Appends one entry; the table's triggers refuse any UPDATE or DELETE. */
export async function appendAudit(db: D1Database, entry: AuditEntry): Promise<void> {
  await db
    .prepare('INSERT INTO admin_audit (at, actor, auth, method, path, action, outcome, status, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(entry.at, entry.actor, entry.auth, entry.method, entry.path.slice(0, 2000), entry.action, entry.outcome, entry.status, entry.ip)
    .run();
}

/** The latest entries, newest first. */
export async function listAudit(db: D1Database, limit: number): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT id, at, actor, auth, method, path, action, outcome, status, ip FROM admin_audit ORDER BY id DESC LIMIT ?').bind(limit).all();
  return results.map((row) => AuditRowSchema.parse(row));
}

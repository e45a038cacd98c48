import type { Context } from 'hono';
import { clientIp } from '../lib/client-ip.ts';
import { appendAudit, type AdminAuth } from './audit-store.ts';

/** Writes the audit row; a failure is logged, the answer stands (it is already decided). */
export async function audit<E extends { Bindings: Env }>(
  c: Context<E>,
  admin: { actor: string; auth: Exclude<AdminAuth, 'none'> } | null,
  outcome: 'allowed' | 'refused',
  status: number,
  action?: string,
): Promise<void> {
  const url = new URL(c.req.url);
  await appendAudit(c.env.DB, {
    at: new Date().toISOString(),
    actor: admin?.actor ?? null,
    auth: admin?.auth ?? 'none',
    method: c.req.method,
    path: url.pathname + url.search,
    action: action ?? (c.req.method === 'GET' || c.req.method === 'HEAD' ? 'view' : 'post'),
    outcome,
    status,
    ip: clientIp(c),
  }).catch((error: unknown) => console.error('admin audit not written', error));
}


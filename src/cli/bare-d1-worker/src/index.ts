/**
 * The benchmark's baseline: POST / stores the request body as one row in D1 and answers 201
 * with the row id. No validation, hashing, signing or Merkle log, so the real Worker's
 * acceptances/s divided by this one's is the cost of everything the evidence needs.
 */
interface BareEnv {
  DB: D1Database;
}

export default {
  async fetch(request: Request, env: BareEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    // Same readiness probe as the real Worker, so the bench starts both the same way.
    if (pathname === '/api/health') return Response.json({ status: 'ok' });
    if (request.method !== 'POST') return new Response('POST only', { status: 405 });
    const id = crypto.randomUUID();
    await env.DB.prepare('INSERT INTO rows (id, created_at, body) VALUES (?1, ?2, ?3)')
      .bind(id, new Date().toISOString(), await request.text())
      .run();
    return Response.json({ id }, { status: 201 });
  },
} satisfies ExportedHandler<BareEnv>;

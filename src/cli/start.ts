import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite } from './build.ts';
import { LOCAL_MAIL_DIR, mailSinkVars, startMailSink } from './mail-sink.ts';
import { DEV_VARS_PATH, ensureDevVars } from './lib/dev-secrets.ts';
import { root } from './lib/run.ts';
import { applyLocalMigrations, startDevServer } from './lib/wrangler.ts';

/**
 * `npm start`: build, migrate the local D1 (.wrangler/state), serve site + API with
 * `wrangler dev`. No Cloudflare account or network needed; runs until Ctrl+C.
 */
// Secrets for local runs (receipt signing key, admin token) live in the gitignored .dev.vars;
// created first, because every wrangler command below checks the required secrets.
const devVars = await ensureDevVars();
if (devVars.added.length > 0) console.log(`[start] generated ${devVars.added.join(' and ')} in ${path.relative(process.cwd(), DEV_VARS_PATH)}`);
try {
  await buildSite();
  await applyLocalMigrations();
} catch (error) {
  // The tool has printed the reason above (for content: file, field, message).
  console.error(`\n[start] ${error instanceof Error ? error.message : String(error)}; nothing was started.`);
  process.exit(1);
}

// Listen where wrangler.toml [dev] says (127.0.0.1:8787), passed explicitly so the URL we
// print is the one wrangler binds; PORT overrides it.
const generated = JSON.parse(await readFile(path.join(root, 'dist/server/wrangler.json'), 'utf8')) as {
  dev?: { ip?: string; port?: number };
};
const ip = generated.dev?.ip ?? '127.0.0.1';
const port = Number(process.env.PORT ?? generated.dev?.port ?? 8787);

// Ctrl+C reaches wrangler directly (same terminal); wait for it to shut workerd down, then
// exit with its status. SIGTERM (e.g. from a process manager via npm) is passed on.
process.on('SIGINT', () => {});
// Every mail the Worker sends (confirmations, notices) goes over SMTP to this local sink and is
// kept in .wrangler/mail/; nothing leaves the machine. MAIL_SINK_SMTP_PORT / MAIL_SINK_HTTP_PORT override the ports.
const sinkPorts = { smtpPort: Number(process.env.MAIL_SINK_SMTP_PORT ?? 2525), httpPort: Number(process.env.MAIL_SINK_HTTP_PORT ?? 8025) };
const sink = await startMailSink({ ...sinkPorts, dir: LOCAL_MAIL_DIR }).catch((error: unknown) => {
  // A second `npm start` (PORT=9000 next to a running one) finds the sink's ports taken: say so.
  if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
  console.error(
    `npm start: the mail sink's ports (SMTP ${sinkPorts.smtpPort}, viewer ${sinkPorts.httpPort}) are in use, e.g. by another npm start. Stop it, or choose others: MAIL_SINK_SMTP_PORT=2526 MAIL_SINK_HTTP_PORT=8026 PORT=9000 npm start`,
  );
  process.exit(1);
});
// wrangler looks for .dev.vars next to the config it runs (dist/server), so name the file.
// ENVIRONMENT=development lets a webhook receiver on http://localhost be registered;
// ADMIN_DEV_SIGN_IN offers the console's name-only sign-in on localhost (functions/admin/dev-sign-in.ts).
const server = await startDevServer({ ip, port, interactive: true, envFiles: [DEV_VARS_PATH], vars: { ...mailSinkVars(sink.smtpPort), ENVIRONMENT: 'development', ADMIN_DEV_SIGN_IN: 'enabled' } }).catch(async (error: unknown) => {
  await sink.close();
  throw error;
});
process.on('SIGTERM', () => server.child.kill('SIGTERM'));

const line = '─'.repeat(56);
console.log(`\n${line}\n  Trust center running at ${server.url}/\n  API health:             ${server.url}/api/health\n  Mail sink (sent mail):  ${sink.viewerUrl}/  (SMTP 127.0.0.1:${sink.smtpPort})\n  Privacy team console:   ${server.url}/admin/  (development sign-in)\n  Admin token:            ADMIN_TOKEN in ${DEV_VARS_PATH}\n  Run the cron now:       curl '${server.url}/cdn-cgi/local/scheduled'\n  Ledger check:           npm run ledger:verify\n  Stop with Ctrl+C\n${line}\n`);

if (server.child.exitCode === null && server.child.signalCode === null) await once(server.child, 'exit');
await sink.close();
process.exit(server.child.exitCode ?? 0);

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll } from 'vitest';
import type { D1Database, R2Bucket } from '@cloudflare/workers-types';
// The same splitter `wrangler d1 migrations apply` uses, so a migration that works here works there.
import { unstable_splitSqlQuery as splitSqlQuery } from 'wrangler';
import { generateDevSecrets, type DevSecrets } from '../../src/cli/lib/dev-secrets.ts';

const root = path.resolve(import.meta.dirname, '../..');
const defaultServerDir = path.join(root, 'dist/server');
const migrationsDir = path.join(root, 'migrations');

export interface WorkerHandle {
  /** Sends a request to the Worker; `path` is relative to http://localhost. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Where the Worker listens on loopback, for tests that need a raw HTTP client. */
  url: URL;
  /** The Worker's own D1 binding, for arranging and inspecting rows. */
  db: D1Database;
  /** The acceptance log's witness bucket (R2 binding LEDGER_WITNESS). */
  witness: R2Bucket;
  /**
   * Requests to the i-th Worker instance (see `instances`); instance 0 is what `fetch` reaches.
   * Each instance is its own isolate with its own module state, all sharing one D1, one R2 and
   * one sequencer Durable Object namespace — as isolates of one deployment do in production.
   */
  fetchInstance(instance: number, path: string, init?: RequestInit): Promise<Response>;
  /** The secrets this instance runs with (fresh per instance unless given). */
  secrets: Partial<DevSecrets>;
  /**
   * Runs the Worker's `scheduled` handler (the Cron Trigger) once, as if the cron fired at
   * `time` (default now), and resolves when it has finished. Miniflare never fires crons by
   * itself, so nothing runs behind a test's back.
   */
  scheduled(time?: Date): Promise<void>;
  /**
   * Restarts workerd with the same storage (D1, R2, Durable Object storage survive; every
   * isolate and object starts afresh, as after an eviction or a deploy), optionally with the
   * witness bucket unavailable.
   */
  restart(options?: { witnessUnavailable?: boolean }): Promise<void>;
  dispose(): Promise<void>;
}

type WitnessState = 'available' | 'unavailable';
const UNAVAILABLE_WITNESS = 'unavailable-witness';

/**
 * A stand-in for the witness bucket while R2 fails: the Worker's LEDGER_WITNESS becomes an RPC
 * binding whose writes throw (reads find nothing), so the sequencer's failure path runs as it
 * would when R2 is down.
 */
function unavailableWitnessWorker(compatibilityDate: string) {
  const contents = `import { WorkerEntrypoint } from 'cloudflare:workers';
export class UnavailableWitness extends WorkerEntrypoint {
  async put() { throw new Error('R2 unavailable (test)'); }
  async head() { return null; }
  async get() { return null; }
  async list() { return { objects: [], truncated: false }; }
}
export default { fetch() { return new Response('unavailable', { status: 503 }); } };
`;
  return { config: { name: UNAVAILABLE_WITNESS, compatibilityDate, manifest: { mainModule: 'witness.mjs', modules: { 'witness.mjs': { type: 'esm' as const, contents } } } } };
}

export interface WorkerOptions {
  /** Vars overriding wrangler.toml's `[vars]`, e.g. lower rate limits. */
  vars?: Record<string, string>;
  /**
   * Secrets; by default a fresh signing key and admin token per instance. Pass `{}` to run
   * without any (to test what a deployment without secrets does).
   */
  secrets?: Partial<DevSecrets>;
  /**
   * Seconds a queue message waits before it is redelivered after `retry()` or a thrown
   * handler; wrangler.toml's `retry_delay` (a minute) would only slow tests down.
   */
  queueRetryDelaySeconds?: number;
  /** Another build's server output (`<outDir>/server`) instead of dist/server. */
  serverDir?: string;
  /** Worker instances (isolates) running the same build against the same storage; default 1. */
  instances?: number;
  /**
   * Applies only the migrations whose file name sorts before this one (e.g. `0013`), so a test
   * can arrange rows as an older schema held them and then run `applyMigrations` for the rest.
   */
  migrationsBefore?: string;
  /** Starts with the witness bucket failing every write (see `restart`). */
  witnessUnavailable?: boolean;
  /**
   * Answers the Worker's outgoing fetch() calls instead of the network (Miniflare's
   * outboundService), e.g. a team's Cloudflare Access keys at https://<team>.cloudflareaccess.com.
   * Without it the Worker reaches the network as in production.
   */
  outbound?: (request: Request) => Response | Promise<Response>;
}

/** The parts of the generated `dist/server/wrangler.json` the harness honours. */
interface GeneratedConfig {
  name: string;
  main: string;
  compatibility_date: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  assets?: { binding?: string; directory: string; run_worker_first?: boolean | string[] };
  d1_databases?: { binding: string; database_id: string }[];
  r2_buckets?: { binding: string; bucket_name: string }[];
  durable_objects?: { bindings?: { name: string; class_name: string }[] };
  triggers?: { crons?: string[] };
  queues?: {
    producers?: { binding: string; queue: string }[];
    consumers?: { queue: string; max_batch_size?: number; max_batch_timeout?: number; max_retries?: number; retry_delay?: number; dead_letter_queue?: string }[];
  };
}

/**
 * Runs the BUILT Worker (`dist/server`, what `wrangler deploy` uploads) in workerd with its
 * generated config, ASSETS serving `dist/client`, and a fresh, migrated, in-memory D1. One
 * instance per test file: nothing is shared, so tests can write to D1 freely.
 */
export async function startWorker(options: WorkerOptions = {}): Promise<WorkerHandle> {
  const serverDir = options.serverDir ?? defaultServerDir;
  const config = JSON.parse(await readFile(path.join(serverDir, 'wrangler.json'), 'utf8')) as GeneratedConfig;
  const secrets = options.secrets ?? (await generateDevSecrets());
  const env: Record<string, unknown> = {};
  for (const [name, value] of Object.entries({ ...config.vars, ...options.vars, ...secrets })) {
    env[name] = typeof value === 'string' ? { type: 'text', value } : { type: 'json', value };
  }
  for (const database of config.d1_databases ?? []) {
    // No resourcePersistencePath below: D1 lives in a temp dir Miniflare deletes on dispose.
    env[database.binding] = { type: 'd1', id: `${database.binding}-${crypto.randomUUID()}` };
  }
  for (const bucket of config.r2_buckets ?? []) env[bucket.binding] = { type: 'r2', name: `${bucket.bucket_name}-${crypto.randomUUID()}` };
  // Durable Objects live in the first instance; every instance binds the same namespace.
  const objects = config.durable_objects?.bindings ?? [];
  for (const binding of objects) env[binding.name] = { type: 'durable-object', worker: config.name, exportName: binding.class_name };
  if (config.assets?.binding) env[config.assets.binding] = { type: 'assets' };
  // Queues as configured, in memory; consumers without the batch wait so tests see messages
  // handled promptly.
  for (const producer of config.queues?.producers ?? []) env[producer.binding] = { type: 'queue', name: producer.queue };
  const triggers = (config.queues?.consumers ?? []).map((consumer) => ({
    type: 'queue' as const,
    name: consumer.queue,
    ...(consumer.max_batch_size !== undefined && { maxBatchSize: consumer.max_batch_size }),
    maxBatchTimeout: 0,
    ...(consumer.max_retries !== undefined && { maxRetries: consumer.max_retries }),
    retryDelay: options.queueRetryDelaySeconds ?? 0,
    ...(consumer.dead_letter_queue !== undefined && { deadLetterQueue: consumer.dead_letter_queue }),
  }));
  const cron = config.triggers?.crons?.[0] ?? '* * * * *';

  const modules = await loadModules(serverDir, config.main);
  const miniflareOptions = (witness: WitnessState) => ({
    // Tests must not find (or be found by) a running `wrangler dev` through the dev registry.
    enableDevRegistry: false,
    // A placeholder `request.cf`, instead of fetching a real one from Cloudflare.
    cf: false,
    telemetry: { enabled: false },
    logRequests: false,
    workers: [
      ...Array.from({ length: options.instances ?? 1 }, (_, instance) => ({
        config: {
          name: instance === 0 ? config.name : `${config.name}-instance-${instance}`,
          compatibilityDate: config.compatibility_date,
          compatibilityFlags: config.compatibility_flags ?? [],
          manifest: modules,
          env: (witness === 'unavailable' ? { ...env, LEDGER_WITNESS: { type: 'worker', worker: UNAVAILABLE_WITNESS, exportName: 'UnavailableWitness' } } : env) as never,
          // Queue consumers and Durable Objects run once, in the first instance.
          triggers: instance === 0 ? triggers : [],
          ...(instance === 0 && objects.length > 0 && { exports: Object.fromEntries(objects.map((binding) => [binding.class_name, { type: 'durable-object' as const, storage: 'sqlite' as const }])) }),
          ...(config.assets && {
            // As in production: matching files are served first, anything else reaches the Worker.
            assets: {
              directory: path.resolve(serverDir, config.assets.directory),
              hasUserWorker: true,
              ...(config.assets.run_worker_first !== undefined && { runWorkerFirst: config.assets.run_worker_first }),
            },
          }),
        },
        dev: { rootPath: serverDir, ...(options.outbound && { outboundService: { type: 'fetcher' as const, handler: options.outbound as never } }) },
      })),
      ...(witness === 'unavailable' ? [unavailableWitnessWorker(config.compatibility_date)] : []),
    ],
  });
  const mf = new Miniflare(miniflareOptions(options.witnessUnavailable ? 'unavailable' : 'available'));

  try {
    const db = (await mf.getD1Database('DB')) as unknown as D1Database;
    await applyMigrations(db, options.migrationsBefore === undefined ? {} : { before: options.migrationsBefore });
    const witnessBinding = config.r2_buckets?.find((bucket) => bucket.binding === 'LEDGER_WITNESS');
    if (!witnessBinding) throw new Error('dist/server/wrangler.json has no LEDGER_WITNESS bucket: rebuild');
    const witness = (await mf.getR2Bucket('LEDGER_WITNESS')) as unknown as R2Bucket;
    const handle: WorkerHandle = {
      url: await mf.ready,
      db,
      witness,
      secrets,
      fetchInstance: async (instance, requestPath, init) => {
        const worker = await mf.getWorker(instance === 0 ? config.name : `${config.name}-instance-${instance}`);
        return worker.fetch(new URL(requestPath, 'http://localhost').href, init as never) as unknown as Promise<Response>;
      },
      fetch: (requestPath, init) =>
        mf.dispatchFetch(new URL(requestPath, 'http://localhost').href, init as never) as unknown as Promise<Response>,
      scheduled: async (time = new Date()) => {
        const worker = await mf.getWorker();
        const result = await worker.scheduled({ scheduledTime: time, cron });
        if (result.outcome !== 'ok') throw new Error(`scheduled handler ended with "${result.outcome}"`);
      },
      restart: async (restart = {}) => {
        await mf.setOptions(miniflareOptions(restart.witnessUnavailable ? 'unavailable' : 'available'));
        // Stubs from before the restart are dead; while the witness is down it has no R2 stub.
        handle.db = (await mf.getD1Database('DB')) as unknown as D1Database;
        if (!restart.witnessUnavailable) handle.witness = (await mf.getR2Bucket('LEDGER_WITNESS')) as unknown as R2Bucket;
      },
      dispose: () => mf.dispose(),
    };
    return handle;
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}

/** Every `.mjs` under dist/server as an ES module, named by its path so relative imports resolve. */
async function loadModules(serverDir: string, main: string) {
  const modules: Record<string, { type: 'esm'; contents: string }> = {};
  for (const file of await readdir(serverDir, { recursive: true })) {
    if (!file.endsWith('.mjs')) continue;
    const name = file.split(path.sep).join('/');
    modules[name] = { type: 'esm', contents: await readFile(path.join(serverDir, file), 'utf8') };
  }
  if (!(main in modules)) throw new Error(`dist/server/${main} is missing: run the build first`);
  return { mainModule: main, modules };
}

/**
 * Applies `migrations/*.sql` in file-name order exactly as `wrangler d1 migrations apply` does:
 * each file plus its `d1_migrations` row in one batch (one transaction).
 */
export async function applyMigrations(db: D1Database, range: { before?: string; from?: string } = {}): Promise<void> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);',
  );
  const files = (await readdir(migrationsDir))
    .filter((file) => file.endsWith('.sql'))
    .filter((file) => (range.before === undefined || file < range.before) && (range.from === undefined || file >= range.from))
    .sort(byMigrationNumber);
  for (const file of files) {
    const sql = `${await readFile(path.join(migrationsDir, file), 'utf8')}\nINSERT INTO d1_migrations (name) values ('${file.replace(/'/g, "''")}');`;
    try {
      await db.batch(splitSqlQuery(sql).map((statement) => db.prepare(statement)));
    } catch (error) {
      throw new Error(`migration ${file} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** Wrangler's order: by the leading number (`0002_x` before `0010_y`), then by name. */
function byMigrationNumber(a: string, b: string): number {
  const number = (name: string) => Number.parseInt(name.split('_')[0] ?? '', 10);
  const [na, nb] = [number(a), number(b)];
  if (na !== nb) {
    if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    if (Number.isFinite(na)) return -1;
    if (Number.isFinite(nb)) return 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The built Worker for the tests of one file or `describe` block: started before them and
 * disposed of after them, so a test file does not repeat the start/dispose hooks. Call it where
 * `beforeAll` may be called; the handle reaches the running Worker once the hooks have run.
 */
export function useWorker(options: WorkerOptions = {}): WorkerHandle {
  let handle: WorkerHandle | undefined;
  beforeAll(async () => {
    handle = await startWorker(options);
  });
  afterAll(async () => {
    await handle?.dispose();
  });
  const running = (): WorkerHandle => {
    if (!handle) throw new Error('the Worker is not running yet: use it inside a test or a beforeAll declared after useWorker()');
    return handle;
  };
  return {
    fetch: (path, init) => running().fetch(path, init),
    fetchInstance: (instance, path, init) => running().fetchInstance(instance, path, init),
    scheduled: (time) => running().scheduled(time),
    restart: (restartOptions) => running().restart(restartOptions),
    dispose: () => running().dispose(),
    get url() {
      return running().url;
    },
    get db() {
      return running().db;
    },
    get witness() {
      return running().witness;
    },
    get secrets() {
      return running().secrets;
    },
  };
}

import { ManifestSchema, type Manifest } from '../src/domain/manifest.ts';

let cached: Promise<Manifest> | undefined;

/**
 * The build's manifest, read from the static assets of this deployment. Assets never change
 * within a deployment, so one read per isolate is enough; a failed read is not cached.
 */
export function publishedManifest(env: Env, requestUrl: string): Promise<Manifest> {
  cached ??= (async () => {
    const response = await env.ASSETS.fetch(new URL('/manifest.json', requestUrl));
    if (!response.ok) throw new Error(`manifest.json is missing from the deployment (HTTP ${response.status})`);
    return ManifestSchema.parse(await response.json());
  })().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

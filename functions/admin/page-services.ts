import type { AdminServices } from '../../src/lib/admin-services.ts';
import { publishedManifest } from '../published-manifest.ts';
import { identifyBrowser } from './console-auth.ts';
import { acceptanceDetail, accounts, audience, auditTrail, changeDetail, changes, invitations, ledgerHealth } from './console-data.ts';
import { devSignInAllowed } from './dev-sign-in.ts';

/** The console's data, as its pages read it (src/lib/admin-services.ts). */
export const adminPageServices: AdminServices = {
  async actor(env, request) {
    const identity = await identifyBrowser(env, request);
    if (!identity.ok || identity.admin.auth === 'admin-token') return null;
    return { actor: identity.admin.actor, auth: identity.admin.auth };
  },
  devSignInAllowed,
  accounts: async (env, url, filter) => accounts(env, await publishedManifest(env, url.href), filter),
  acceptance: async (env, url, recordId) => acceptanceDetail(env, await publishedManifest(env, url.href), recordId),
  changes: async (env, url) => changes(env, await publishedManifest(env, url.href)),
  change: async (env, url, changeId) => changeDetail(env, await publishedManifest(env, url.href), changeId),
  audience,
  ledger: (env) => ledgerHealth(env),
  audit: (env) => auditTrail(env),
  invitations: async (env, url) => invitations(env, await publishedManifest(env, url.href)),
};

import type { PageServices } from '../src/lib/page-services.ts';
import { loadDeclarationReceipt, loadReceipt } from './acceptances/receipt-store.ts';
import { publishedManifest } from './published-manifest.ts';
import { confirmationState, confirmByToken, unsubscribeWithToken } from './subscriptions/flow.ts';
import { findSubscriber } from './subscriptions/store.ts';
import { isValidUnsubscribeToken } from './subscriptions/tokens.ts';

/** The Worker's storage, as the per-request pages of the site use it (src/lib/page-services.ts). */
export const pageServices: PageServices = {
  loadReceipt,
  loadDeclarationReceipt,
  publishedManifest,
  confirmationState: (env, token) => confirmationState(env.DB, token),
  confirm: (env, origin, token, ip) => confirmByToken(env, origin, token, ip),
  async subscriberOfLink(env, subscriberId, token) {
    if (!(await isValidUnsubscribeToken(env, subscriberId, token))) return null;
    const subscriber = await findSubscriber(env.DB, subscriberId);
    return subscriber === null ? null : { email: subscriber.email, unsubscribed: subscriber.status === 'unsubscribed' };
  },
  unsubscribe: (env, subscriberId, token) => unsubscribeWithToken(env, subscriberId, token, 'page'),
};

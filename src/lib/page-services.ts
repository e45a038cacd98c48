import type { Manifest } from '../domain/manifest.ts';
import type { NoticeTopic } from '../domain/notice-topics.ts';
import type { DeclarationRecord } from '../domain/declaration-record.ts';
import type { Receipt } from '../domain/receipt.ts';
import type { Lang } from '../schemas/lang.ts';

/** A sign-up as the confirmation page shows it. */
export interface SignUpView {
  email: string;
  topics: NoticeTopic[];
  lang: Lang;
}

/** What a confirmation link is worth right now. */
export type ConfirmationView = { kind: 'valid' | 'used'; request: SignUpView } | { kind: 'expired'; lang: Lang } | { kind: 'invalid' };

/**
 * What the pages rendered per request (receipt, confirmation, unsubscribe) need from the
 * Worker's storage. The site never imports Worker code (functions/): src/worker.ts, the one
 * place that knows both, provides an implementation at start-up (functions/page-services.ts).
 */
export interface PageServices {
  /** The receipt of `recordId` if `key` is its capability, else null. */
  loadReceipt(env: Env, recordId: string, key: string): Promise<Receipt | null>;
  /** The same for a declaration on a change (its own receipt page). */
  loadDeclarationReceipt(env: Env, recordId: string, key: string): Promise<Receipt<DeclarationRecord> | null>;
  publishedManifest(env: Env, requestUrl: string): Promise<Manifest>;
  confirmationState(env: Env, token: string): Promise<ConfirmationView>;
  /** Confirms once; a second click finds it `used`. */
  confirm(env: Env, origin: string, token: string, ip: string | null): Promise<ConfirmationView | { kind: 'confirmed'; request: SignUpView }>;
  /** The subscriber an unsubscribe link names, if its token is valid. */
  subscriberOfLink(env: Env, subscriberId: string, token: string): Promise<{ email: string; unsubscribed: boolean } | null>;
  unsubscribe(env: Env, subscriberId: string, token: string): Promise<'unsubscribed' | 'already-unsubscribed' | 'unknown'>;
}

let provided: PageServices | undefined;

/** Called once by src/worker.ts. */
export function providePageServices(services: PageServices): void {
  provided = services;
}

export function pageServices(): PageServices {
  if (!provided) throw new Error('page services not provided: src/worker.ts provides them before serving pages');
  return provided;
}

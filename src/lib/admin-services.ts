import type { AcceptanceDetailView, AccountsView, AudienceView, AuditView, ChangeDetailView, ChangeView, ConsoleActor, InvitationsView, LedgerView } from './admin-views.ts';

/**
 * What the console's pages (src/pages/[...lang]/admin/) need from the Worker. As with
 * PageServices, the site never imports functions/: src/worker.ts provides the implementation
 * (functions/admin/page-services.ts). The Worker has already let the request in
 * (functions/admin/console-auth.ts) and writes its audit row; `actor` says who it was.
 */
export interface AdminServices {
  /** The signed-in user of this request, null when it is not signed in. */
  actor(env: Env, request: Request): Promise<ConsoleActor | null>;
  /** Whether the development sign-in form may be offered for this request. */
  devSignInAllowed(env: Env, url: URL): boolean;
  accounts(env: Env, url: URL, filter: { search: string; status: 'all' | 'current' | 'outdated' }): Promise<AccountsView>;
  acceptance(env: Env, url: URL, recordId: string): Promise<AcceptanceDetailView | null>;
  changes(env: Env, url: URL): Promise<ChangeView[]>;
  change(env: Env, url: URL, changeId: string): Promise<ChangeDetailView | null>;
  audience(env: Env): Promise<AudienceView>;
  ledger(env: Env): Promise<LedgerView>;
  audit(env: Env): Promise<AuditView[]>;
  invitations(env: Env, url: URL): Promise<InvitationsView>;
}

let provided: AdminServices | undefined;

/** Called once by src/worker.ts. */
export function provideAdminServices(services: AdminServices): void {
  provided = services;
}

export function adminServices(): AdminServices {
  if (!provided) throw new Error('admin services not provided: src/worker.ts provides them before serving pages');
  return provided;
}

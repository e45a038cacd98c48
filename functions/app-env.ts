/** Hono's environment for every API sub-app: the Worker bindings from `wrangler types`. */
export interface AppEnv {
  Bindings: Env;
}

/**
 * The `format` markers of the log's record types, in a module without dependencies: the verify
 * page's script (bundled for the browser, no zod) tells the types apart by them too.
 */
export const ACCEPTANCE_RECORD_FORMAT = 'trust-center/acceptance-record@1';
export const DECLARATION_RECORD_FORMAT = 'trust-center/declaration-record@1';

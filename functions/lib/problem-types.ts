/**
 * Problem `type` URIs of the acceptance and ledger APIs (RFC 9457 §3.1.1: a URI that names
 * the problem; clients switch on it, humans read `title` and `detail`).
 */
export const problemType = (name: string): string => `urn:trust-center:problem:${name}`;

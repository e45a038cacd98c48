/**
 * LOCAL DEVELOPMENT ONLY — this private key is public (it is in the repository).
 *
 * The receipt-signing key `npm start` writes to .dev.vars, so that a local run signs with a key
 * the example site publishes (content/receipt-keys/2026-12-01-local-development.yaml, marked
 * `localDevelopment: true`) and the verify page and `npm run receipt:verify` find it. Anyone can
 * sign with it, so a Worker that does not run with ENVIRONMENT=development refuses to sign with
 * it, and receipt:verify rejects every receipt that names it. A deployment generates its own key
 * (README, "Deploy"). Generated with `openssl genpkey -algorithm ed25519`.
 */
export const DEV_RECEIPT_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKLTKTPDOomqhPgVf4SJSFB2BcnSAJHTfOkX2M8fnq0P
-----END PRIVATE KEY-----
`;

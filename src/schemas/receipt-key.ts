import { z } from 'zod';
import { publicKeyFromPem } from '../domain/signing-key.ts';
import { CalendarDateSchema } from './calendar-date.ts';

/**
 * `content/receipt-keys/<name>.yaml`: one public key that signs (or signed) receipts and log
 * checkpoints. Committed with the content so that a deploy can never lose a retired key: every
 * receipt ever issued stays checkable against the key list the site publishes. The private key
 * is never here; it is the RECEIPT_SIGNING_KEY secret.
 */
export const ReceiptKeySchema = z
  .strictObject({
    /**
     * The Ed25519 public key as SPKI PEM, as `openssl pkey -in key.pem -pubout` prints it.
     * Example: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----".
     */
    publicKey: z.string().refine((pem) => publicKeyFromPem(pem) !== null, { error: 'expected an Ed25519 public key in PEM (openssl pkey -in key.pem -pubout)' }),
    /** First day receipts were signed with it (UTC). Example: 2026-01-01. */
    validFrom: CalendarDateSchema,
    /** Last day it signed, once retired; absent while it is the key in use. */
    validUntil: CalendarDateSchema.optional(),
    /**
     * True for the key `npm start` signs with, whose private half is in the repository
     * (src/cli/lib/dev-receipt-key.ts) so a local run signs with a published key and the verify
     * page works. Anyone can sign with it: a Worker outside ENVIRONMENT=development refuses to,
     * and `npm run receipt:verify` fails a receipt that names it. Example: true.
     */
    localDevelopment: z.boolean().default(false),
  })
  .superRefine((key, ctx) => {
    if (key.validUntil !== undefined && key.validUntil < key.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: `validUntil (${key.validUntil}) is before validFrom (${key.validFrom})` });
    }
  });
export type ReceiptKey = z.output<typeof ReceiptKeySchema>;

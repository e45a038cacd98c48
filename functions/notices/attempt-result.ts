/** What one attempt produced (email or webhook), before the evidence is written. */
export type AttemptResult =
  | { ok: true; messageId?: string; httpStatus?: number }
  | { ok: false; retryable: boolean; error: string; httpStatus?: number };

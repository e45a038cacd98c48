/**
 * A mail was not accepted. `retryable` says whether sending it again later can succeed: SMTP 4xx
 * replies, refused connections and timeouts are; 5xx replies (unknown mailbox, policy) are not.
 */
export class MailTransportError extends Error {
  override name = 'MailTransportError';
  /** The SMTP reply code, or null when there was none (network failure, timeout). */
  readonly code: number | null;
  readonly retryable: boolean;

  constructor(message: string, code: number | null, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.retryable = retryable;
  }

  get permanent(): boolean {
    return !this.retryable;
  }
}

/** The transport's vars are missing: no mail can be sent from this deployment. */
export class MailNotConfiguredError extends Error {
  override name = 'MailNotConfiguredError';
}

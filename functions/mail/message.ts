/** One mail as the application sees it, before it is encoded as MIME. */
export interface MailMessage {
  /** Sender, either `addr@example.com` or `Display Name <addr@example.com>`. */
  from: string;
  /** One recipient address (notices go to one person each; no Cc/Bcc). */
  to: string;
  /** Where replies go when not to the sender, e.g. the privacy team for an objection. */
  replyTo?: string;
  /** Subject line; any Unicode (encoded as RFC 2047 words when needed). */
  subject: string;
  /** Plain-text body; always present, it is what text-only clients and screen readers show. */
  text: string;
  /** Optional HTML alternative of the same content. */
  html?: string;
  /** Extra header fields, e.g. List-Unsubscribe. Values must be single-line. */
  headers?: Record<string, string>;
  /** Message-ID without angle brackets; generated from the sender's domain when absent. */
  messageId?: string;
  /** Files sent along (multipart/mixed), e.g. a signed receipt as JSON. */
  attachments?: MailAttachment[];
}

/** One attached file, sent base64-encoded so its bytes arrive unchanged. */
export interface MailAttachment {
  /** File name the mail client offers; ASCII. Example: "avv-receipt-<id>.json". */
  filename: string;
  /** MIME type. Example: "application/json". */
  contentType: string;
  /** The file's bytes (text is encoded as UTF-8). */
  content: Uint8Array | string;
}

/** The bare address of `Name <addr>` or `addr`, as used in the SMTP envelope. */
export function envelopeAddress(mailbox: string): string {
  const match = /<([^<>\s]+)>\s*$/.exec(mailbox);
  return (match ? match[1]! : mailbox).trim();
}

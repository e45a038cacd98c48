/**
 * How long a confirmation link works — the double opt-in of an email subscription and the
 * owner's confirmation of a webhook endpoint alike. Pages, mails and the stores read it here,
 * so what the mail promises is what the database enforces.
 */
export const CONFIRMATION_LINK_HOURS = 48;

import type { Manifest } from '../../src/domain/manifest.ts';
import type { WebhookEndpoint } from './store.ts';
import { CONFIRM_TTL_HOURS } from './registration.ts';

/**
 * Text someone else typed (the URL), set apart so it cannot pass for the vendor's own words: on
 * its own line, indented and in angle brackets. The URL is canonical and free of control
 * characters (checkWebhookUrl), so it is one line that cannot start a paragraph of its own.
 */
const quoted = (text: string) => `    <${text}>`;

/** Subject and text of the owner's confirmation mail; no advertising, one link. */
export function confirmationMail(manifest: Manifest, endpoint: { url: string; topics: readonly string[]; lang: 'de' | 'en' }, confirmUrl: string): { subject: string; text: string } {
  if (endpoint.lang === 'en') {
    return {
      subject: `${manifest.vendor}: confirm your webhook endpoint`,
      text: [
        `Someone (hopefully you) registered this webhook endpoint for notices from the ${manifest.vendor} trust center:`,
        '',
        'URL (as entered by the person who registered it):',
        quoted(endpoint.url),
        `Topics: ${endpoint.topics.join(', ')}`,
        '',
        'To confirm, open this link and press the button. The page then shows the signing secret once:',
        confirmUrl,
        '',
        `The link works once and expires after ${CONFIRM_TTL_HOURS} hours. If you did not ask for this, ignore this mail; nothing will be sent.`,
        '',
      ].join('\n'),
    };
  }
  return {
    subject: `${manifest.vendor}: Webhook-Endpunkt bestätigen`,
    text: [
      `Jemand (hoffentlich Sie) hat diesen Webhook-Endpunkt für Mitteilungen aus dem Trust Center von ${manifest.vendor} angemeldet:`,
      '',
      'URL (so eingegeben von der Person, die ihn angemeldet hat):',
      quoted(endpoint.url),
      `Themen: ${endpoint.topics.join(', ')}`,
      '',
      'Zur Bestätigung öffnen Sie diesen Link und drücken die Schaltfläche. Die Seite zeigt dann einmalig das Signatur-Geheimnis:',
      confirmUrl,
      '',
      `Der Link gilt einmal und ${CONFIRM_TTL_HOURS} Stunden lang. Falls Sie das nicht veranlasst haben, ignorieren Sie diese Mail; es wird nichts gesendet.`,
      '',
    ].join('\n'),
  };
}

/** Tells the owner that deliveries stopped and why. */
export function endpointDisabledMail(manifest: Manifest, endpoint: WebhookEndpoint, reason: 'gone' | 'failing'): { subject: string; text: string } {
  const detail = endpoint.disabledReason ?? '';
  if (endpoint.lang === 'en') {
    return {
      subject: `${manifest.vendor}: webhook endpoint disabled`,
      text: [
        `Your webhook endpoint no longer receives notices from the ${manifest.vendor} trust center:`,
        quoted(endpoint.url),
        reason === 'gone' ? 'It answered 410 Gone, which means "stop sending".' : 'Deliveries to it kept failing over several days.',
        detail,
        '',
        'To receive notices again, register the endpoint anew. Missed notices are listed in the feeds on the trust center.',
        '',
      ].join('\n'),
    };
  }
  return {
    subject: `${manifest.vendor}: Webhook-Endpunkt deaktiviert`,
    text: [
      `Ihr Webhook-Endpunkt erhält keine Mitteilungen aus dem Trust Center von ${manifest.vendor} mehr:`,
      quoted(endpoint.url),
      reason === 'gone' ? 'Er hat mit 410 Gone geantwortet, also „nicht mehr senden“.' : 'Zustellungen an ihn sind über mehrere Tage fehlgeschlagen.',
      detail,
      '',
      'Um wieder Mitteilungen zu erhalten, melden Sie den Endpunkt neu an. Verpasste Mitteilungen stehen in den Feeds des Trust Centers.',
      '',
    ].join('\n'),
  };
}

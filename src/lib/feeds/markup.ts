/** Escapes text for XML and HTML element content and attribute values (both quote styles). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Makes root-relative `href`/`src` attributes absolute. Rendered Markdown may link `/avv/2.0/`;
 * a feed reader shows the entry outside the site, where such a link would point nowhere.
 */
export function absolutizeLinks(html: string, site: string): string {
  return html.replace(/\b(href|src)="\/(?!\/)/g, `$1="${site}/`);
}

/** A calendar day as the instant feeds need: midnight UTC, which is the same day in Berlin. */
export function dayToInstant(day: string): string {
  return `${day}T00:00:00Z`;
}

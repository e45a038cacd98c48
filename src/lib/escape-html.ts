/** Text for HTML content and attribute values: the one escaper of every HTML string built in code (Astro escapes its own templates). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

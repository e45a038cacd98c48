import { escapeHtml } from './escape-html.ts';

/**
 * Renders the small Markdown subset used inside YAML list items (TOMs measures): escapes HTML,
 * then `**bold**`, `*emphasis*`, `` `code` `` and `[text](https://…)` links. Anything richer
 * belongs in a Markdown body, which the full processor renders.
 */
export function renderInlineMarkdown(text: string): string {
  const escaped = escapeHtml(text);
  return escaped
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

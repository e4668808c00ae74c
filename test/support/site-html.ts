/** Reading built HTML the way a browser shows it, for the site's build tests. */
import { expect } from 'vitest';

/** Text with HTML entities decoded (what a browser shows). */
export function decode(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
/** Visible text of an HTML fragment. */
export const text = (html: string) =>
  decode(html.replace(/<\/(h\d|dt|dd|li|p|div|th|td|tr|summary)>/g, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

/** A section of a page, from its heading id to the next section. */
export function section(html: string, headingId: string): string {
  const at = html.indexOf(`id="${headingId}"`);
  expect(at, headingId).toBeGreaterThan(0);
  const end = html.indexOf('</section>', at);
  return html.slice(at, end);
}

/** Reading built HTML the way a browser shows it, for the site's build tests, with a real HTML parser (linkedom). */
import { decodeHTML } from 'entities';
import { parseHTML } from 'linkedom';
import { expect } from 'vitest';

/** Elements after which a browser's rendering breaks the line: their text never runs into the next one's. */
const BLOCK = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'DT', 'DD', 'LI', 'P', 'DIV', 'TH', 'TD', 'TR', 'SUMMARY', 'CAPTION', 'SECTION']);

/** Parses an HTML fragment into a container element. */
function fragment(html: string): Element {
  const { document } = parseHTML(`<!doctype html><html><body><div id="fragment-root">${html}</div></body></html>`);
  return document.getElementById('fragment-root')!;
}

/** Text with HTML character references decoded (every named and numeric one), tags left as they are. */
export function decode(html: string): string {
  return decodeHTML(html);
}

/** Parses a page as a document, a fragment in a container element, so tests query the tree a browser builds, not the bytes. */
export function dom(html: string): ParentNode {
  return /^\s*<(!doctype|html[\s>])/i.test(html) ? parseHTML(html).document : fragment(html);
}

/** The elements under `root` (HTML parsed first) that match `selector`, in document order, as an array. */
export function all(root: string | ParentNode, selector: string): Element[] {
  return Array.from((typeof root === 'string' ? dom(root) : root).querySelectorAll(selector));
}

/** The first element under `root` that matches `selector`, failing the test (as `label`) when there is none. */
export function one(root: string | ParentNode, selector: string, label = selector): Element {
  const found = (typeof root === 'string' ? dom(root) : root).querySelector(selector);
  expect(found, label).toBeTruthy();
  return found!;
}

/** Visible text of an HTML fragment or of an element, block elements kept apart, white space collapsed. */
export function text(html: string | Element): string {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) out.push(node.textContent ?? '');
    else if (node.nodeType === 1) {
      if ((node as Element).tagName === 'SCRIPT' || (node as Element).tagName === 'STYLE') return;
      for (const child of Array.from(node.childNodes)) walk(child);
      if (BLOCK.has((node as Element).tagName)) out.push(' ');
    }
  };
  // An element is walked as it is: the same text as its inner HTML parsed again.
  walk(typeof html === 'string' ? fragment(html) : html);
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** A section of a page: the `<section>` that holds the heading with `headingId`, as HTML. */
export function section(html: string, headingId: string): string {
  const { document } = parseHTML(html);
  const heading = document.getElementById(headingId);
  expect(heading, headingId).toBeTruthy();
  const box = heading!.closest('section');
  expect(box, `${headingId} is inside a <section>`).toBeTruthy();
  return box!.outerHTML;
}

/** The `<dd>` right after the (first) `<dt>` that reads exactly `term`, failing the test when either is missing. */
export function definition(root: string | ParentNode, term: string): Element {
  const dt = all(root, 'dt').find((d) => d.textContent === term);
  expect(dt, `<dt>${term}</dt>`).toBeDefined();
  const dd = dt!.nextElementSibling;
  expect(dd?.tagName, `the <dd> after <dt>${term}</dt>`).toBe('DD');
  return dd!;
}

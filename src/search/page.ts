/**
 * Browser script of the search page: runs the `?q=` query through Pagefind's JS
 * API (loaded from dist/pagefind/ at run time, not bundled) and lists the hits.
 * Excerpts come from indexed chain strings, so they are rebuilt node by node as
 * text plus <mark>, never assigned as HTML.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface Pagefind {
  options(opts: { baseUrl: string }): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResultData> }> }>;
}

/** Pagefind's excerpt HTML as safe nodes: text stays text, only `<mark>` survives. */
function excerptNodes(html: string): Node[] {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  const out: Node[] = [];
  for (const node of Array.from(doc.body.firstChild?.childNodes ?? [])) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent ?? ''));
    }
  }
  return out;
}

/** Accepts only same-origin result URLs (Pagefind builds them from dist/ file paths). */
function safeHref(url: string): string | null {
  try {
    const resolved = new URL(url, window.location.href);
    return resolved.origin === window.location.origin ? resolved.pathname + resolved.search + resolved.hash : null;
  } catch {
    return null;
  }
}

/** Runs the search for the page's `?q=` and renders results into #search-results. */
export async function runSearchPage(): Promise<void> {
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  if (!status || !list) return;
  const query = new URLSearchParams(window.location.search).get('q')?.trim() ?? '';
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="q"]')) input.value = query;
  if (!query) {
    status.textContent = 'Type a model id, a Hugging Face repo or a proposer address.';
    return;
  }
  status.textContent = 'Searching…';
  const base = status.dataset.pagefindBase ?? '/pagefind/';
  let pagefind: Pagefind;
  try {
    pagefind = (await import(/* @vite-ignore */ `${base}pagefind.js`)) as Pagefind;
    await pagefind.options({ baseUrl: base.replace(/pagefind\/$/, '') });
  } catch {
    status.textContent = 'The search index is not available (it is built by `pagefind --site dist` after `astro build`).';
    return;
  }
  const search = await pagefind.search(query);
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  list.replaceChildren();
  for (const result of results) {
    const href = safeHref(result.url);
    if (!href) continue;
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = href;
    a.textContent = result.meta.title ?? href;
    const p = document.createElement('p');
    p.append(...excerptNodes(result.excerpt));
    li.append(a, p);
    list.append(li);
  }
  const n = list.childElementCount;
  status.textContent = n === 0 ? `No results for “${query}”.` : `${n} ${n === 1 ? 'result' : 'results'} for “${query}”${search.results.length > 30 ? ' (first 30 shown)' : ''}.`;
}

/**
 * The epoch selector's list, filled in the browser from `epochs.json`, so that no
 * page embeds the whole (growing) list of epochs: a finished epoch's page stays
 * byte-identical when new epochs arrive (docs/pages.md, "Finished epochs never change").
 */

/** The part of an `epochs.json` entry the list needs. */
interface ListedEpoch {
  epoch_id: number;
  available: boolean;
  page_url: string;
}

/** The entries of an `epochs.json` body (newest first) and its current epoch; throws on another shape. */
function readEpochList(body: unknown): {
  current: number;
  epochs: ListedEpoch[];
} {
  const b = body as { current_epoch?: unknown; epochs?: unknown };
  if (!b || !Number.isSafeInteger(b.current_epoch) || !Array.isArray(b.epochs)) throw new Error('epochs.json: unexpected shape');
  const epochs = b.epochs.map((e: Partial<ListedEpoch>, i) => {
    if (!Number.isSafeInteger(e?.epoch_id) || typeof e.available !== 'boolean' || typeof e.page_url !== 'string') {
      throw new Error(`epochs.json: unexpected entry at epochs[${i}]`);
    }
    return {
      epoch_id: e.epoch_id!,
      available: e.available,
      page_url: e.page_url,
    };
  });
  return { current: b.current_epoch as number, epochs };
}

/**
 * Fills `list` (an `<ol>` carrying `data-epochs-json`, `data-home` and `data-selected`)
 * with a link per epoch: the current one to the live view, the shown one marked as
 * the page. `status` says "Loading…" meanwhile, or that the list could not be loaded.
 */
export async function fillEpochList(list: HTMLOListElement, status: HTMLElement | null): Promise<void> {
  const home = list.dataset.home ?? '/';
  const selected = Number(list.dataset.selected);
  if (status) status.textContent = 'Loading the epochs…';
  try {
    const response = await fetch(list.dataset.epochsJson ?? '', {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { current, epochs } = readEpochList(await response.json());
    const items = epochs.map((e) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      // Only links inside the site: a URL from elsewhere would not be one this build wrote.
      a.href = e.epoch_id === current ? home : e.page_url.startsWith(home) ? e.page_url : home;
      a.textContent = String(e.epoch_id);
      if (e.epoch_id === current) a.classList.add('is-current');
      if (!e.available) a.classList.add('is-unavailable');
      if (e.epoch_id === selected) a.setAttribute('aria-current', 'page');
      const note = `${e.epoch_id === current ? ' (current)' : ''}${e.available ? '' : ' (unavailable)'}`;
      if (note) {
        const hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = note;
        a.append(hidden);
      }
      li.append(a);
      return li;
    });
    list.replaceChildren(...items);
    list.hidden = false;
    if (status) status.textContent = '';
  } catch (error) {
    if (status) status.textContent = 'The list of epochs could not be loaded; the epochs page has every one.';
    throw error;
  }
}

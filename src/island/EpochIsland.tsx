/**
 * The one React island: an epoch's header, models table and model dialog, plus,
 * on `/`, auto-refresh of `current.json`. Its props are plain JSON made at build
 * time and its first render is exactly the build-time HTML, so hydration changes
 * nothing on screen. It imports no server code: page and file paths come from the
 * base path prop, model URLs from the rows the site published.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatCount, formatTimeOfDay } from '../display/format.ts';
import { createUrls } from '../display/paths.ts';
import { EpochHeader } from '../ui/EpochHeader.tsx';
import { missingUsageReason } from '../ui/Missing.tsx';
import { ModelDialog, type DialogContent } from '../ui/ModelDialog.tsx';
import { DEFAULT_SORT, ModelsTable, type SortState } from '../ui/ModelsTable.tsx';
import type { EpochData } from '../ui/epoch-data.ts';
import type { TrendData } from '../display/trends.ts';
import { DEFAULT_REFRESH_MS, refreshPeriodFromUrl, useAutoRefresh } from './useAutoRefresh.ts';

export interface EpochIslandProps {
  /** The site's base path (`/` or `/sub/`), for links and the `current.json` fetch. */
  base: string;
  /** The epoch as built. */
  initial: EpochData;
  /** Poll `current.json` (only on `/`). */
  live: boolean;
  /** The change figures and sparklines of `initial`'s rows (shown while the island shows that epoch). */
  trends: TrendData;
}

/** Reads `?model=` from a query string. */
function modelFromSearch(search: string): string | null {
  const id = new URLSearchParams(search).get('model');
  return id ? id : null;
}

/** Sets or removes `?model=` in place: the URL follows the dialog without a reload or a history entry. */
function syncModelParam(id: string | null) {
  const url = new URL(window.location.href);
  if (id === null) url.searchParams.delete('model');
  else url.searchParams.set('model', id);
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url);
}

function sameData(a: EpochData, b: EpochData): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The epoch view island. */
export default function EpochIsland({ base, initial, live, trends }: EpochIslandProps) {
  const urls = useMemo(() => createUrls(base), [base]);
  const trendRows = useMemo(() => new Map(trends.rows.map((r) => [r.id, r])), [trends]);
  const [data, setData] = useState(initial);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const [dialogId, setDialogId] = useState<string | null>(null);
  const [periodMs, setPeriodMs] = useState(DEFAULT_REFRESH_MS);
  const [announcement, setAnnouncement] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);

  const onData = useCallback((next: EpochData) => {
    // Keep the same object when nothing changed (a 304 revalidation), so nothing re-renders.
    setData((prev) => (sameData(prev, next) ? prev : next));
  }, []);

  const shownEpoch = useRef(initial.epoch_id);
  useEffect(() => {
    if (data.epoch_id === shownEpoch.current) return;
    shownEpoch.current = data.epoch_id;
    setAnnouncement(`New epoch ${data.epoch_id}: the table now shows epoch ${data.epoch_id}.`);
  }, [data.epoch_id]);

  const refresh = useAutoRefresh({
    url: urls.currentJson(),
    periodMs,
    enabled: live,
    blocked: dialogId !== null,
    onData,
  });

  // Client-only inputs (the URL) are read after hydration so the first render matches the HTML.
  useEffect(() => {
    setPeriodMs(refreshPeriodFromUrl(window.location.search));
    const fromUrl = modelFromSearch(window.location.search);
    if (fromUrl) setDialogId(fromUrl);
  }, []);

  const open = useCallback((id: string) => {
    setDialogId(id);
    syncModelParam(id);
  }, []);

  const dialogIdRef = useRef(dialogId);
  dialogIdRef.current = dialogId;
  const closed = useCallback(() => {
    const id = dialogIdRef.current;
    setDialogId(null);
    syncModelParam(null);
    if (id === null) return;
    // Back to the row the dialog belongs to (the browser returns focus to whatever had it, which is nothing after a deep link).
    const link = Array.from(rootRef.current?.querySelectorAll<HTMLAnchorElement>('a[data-model-id]') ?? []).find(
      (a) => a.dataset.modelId === id,
    );
    link?.focus();
  }, []);

  const row = dialogId === null ? undefined : data.models.find((m) => m.id === dialogId);
  const content: DialogContent = dialogId === null ? null : row ? { kind: 'model', row } : { kind: 'missing', id: dialogId };
  const usageUnavailable = missingUsageReason(data.usage_unavailable, data.usage_scope);

  return (
    <div className="epoch-view" ref={rootRef}>
      <EpochHeader data={data} urls={urls} />
      {live && (
        <div className="refresh js-only" data-pagefind-ignore="all">
          <span className="refresh__dot" data-state={refresh.failure ? 'stale' : refresh.paused || dialogId ? 'paused' : 'live'} aria-hidden="true" />
          <span role="timer" className="refresh__timer">
            {refresh.paused
              ? 'Auto-refresh paused'
              : dialogId
                ? 'Auto-refresh waits while the details are open'
                : refresh.secondsLeft > 0
                  ? `Next update in ${refresh.secondsLeft} s`
                  : 'Updating…'}
          </span>
          {/* The label says what a press does (Pause/Resume); the timer text says the state. */}
          <button type="button" className="button button--small" onClick={() => refresh.setPaused(!refresh.paused)}>
            {refresh.paused ? 'Resume' : 'Pause'}
          </button>
          {!refresh.failure && (
            <span
              className={`muted refresh__checked${refresh.lastSuccess ? '' : ' refresh__checked--pending'}`}
              aria-hidden={!refresh.lastSuccess}
            >
              Checked {formatTimeOfDay(refresh.lastSuccess ?? data.fetched_at)}
            </span>
          )}
        </div>
      )}
      {refresh.failure && (
        <p className="notice notice--warn stale-notice">
          <strong>Stale since {formatTimeOfDay(refresh.failure.since)}.</strong> The latest data could not be loaded ({refresh.failure.reason}); the table
          shows the last good data and retries on the next tick.
        </p>
      )}
      {/* After a refresh brings a new epoch, its changes are only known to the next build: "–" until a reload. */}
      <p className="table-note muted" data-pagefind-ignore="all">
        {trends.epochId !== data.epoch_id
          ? 'Changes and trends: reload the page.'
          : trends.previousEpochId === null
            ? 'No earlier epoch with data to compare with.'
            : `Δ: effective weight change since epoch ${formatCount(trends.previousEpochId)}. Trend: effective weight over the last ${trends.sparkEpochs} epochs.`}
      </p>
      <ModelsTable
        trends={trends.epochId === data.epoch_id ? trendRows : null}
        models={data.models}
        sort={sort}
        onSort={setSort}
        onOpen={open}
        usageUnavailable={usageUnavailable}
        caption={`Models in epoch ${formatCount(data.epoch_id)}`}
      />
      <ModelDialog
        content={content}
        epochId={data.epoch_id}
        usageUnavailable={usageUnavailable}
        modelsHref={urls.models()}
        onClosed={closed}
      />
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}

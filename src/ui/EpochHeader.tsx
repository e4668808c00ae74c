/**
 * The epoch header: id, CURRENT badge, height, headline totals (effective and raw
 * PoC weight, hosts with those the chain excluded), the chain's own counters,
 * where usage comes from, the usage window and fetch time. Part of the island so
 * a refresh that brings a new epoch updates the heading together with the table.
 */
import { formatCount, formatDateTime, formatDuration } from '../display/format.ts';
import type { SiteUrls } from '../display/paths.ts';
import { Item } from './ModelDetails.tsx';
import { CLASSIC_ONLY, NO_FACTOR, Unknown } from './Missing.tsx';
import type { EpochData } from './epoch-data.ts';

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** Where usage figures come from, in words (docs/chain-api.md, "Usage"). */
export const USAGE_SOURCES: Record<NonNullable<EpochData['usage_source']>, string> = {
  dapi_stats: 'node stats route',
  chain_stats: 'chain stats',
};

/** Said for a chain counter the chain does not publish. */
const NOT_PUBLISHED = 'not published';

/** A chain counter, or "–" with "not published". */
function Counter({ value }: { value: string | null }) {
  return value === null ? <Unknown reason={NOT_PUBLISHED} /> : <>{formatCount(value)}</>;
}

/** The header block of an epoch view. */
export function EpochHeader({ data, urls }: { data: EpochData; urls: SiteUrls }) {
  const unassigned = data.totals.poc_weight - data.totals.model_weight;
  // Snapshots also list registry models nobody hosts (weight 0); the headline counts hosted ones.
  const unhosted = Math.max(0, data.models.length - data.totals.models_hosted);
  const w = data.window;
  const c = data.chain_counters;
  // Figures are null without a source; the sentence says why (shown verbatim).
  const noUsage = data.usage_unavailable !== null || data.usage_source === null;
  return (
    <header className="epoch-head">
      <div className="epoch-head__title">
        <h1 data-pagefind-meta={`title:Epoch ${data.epoch_id}${data.is_current ? ' (current)' : ''}`}>
          Epoch {data.epoch_id}
          {data.is_current && ' '}
          {data.is_current && <span className="badge badge--current">Current</span>}
        </h1>
        <p className="muted">
          Height <span className="num-text">{formatCount(data.height)}</span>
          <span aria-hidden="true"> · </span>
          <span className="visually-hidden">, </span>
          blocks <span className="num-text">{formatCount(data.start_height)}</span>–
          <span className="num-text">{formatCount(data.end_height)}</span>
        </p>
      </div>
      <dl className="stats stats--5">
        <Item label="Models">
          {formatCount(data.totals.models_hosted)}
          {unhosted > 0 && <small> +{formatCount(unhosted)} listed without weight</small>}
        </Item>
        <Item label="Effective weight">
          {data.totals.effective_weight === null ? <Unknown reason={NO_FACTOR} title="A model's weight scale factor is unknown" /> : formatCount(data.totals.effective_weight)}
        </Item>
        <Item label="Raw PoC weight">
          {formatCount(data.totals.poc_weight)}
          {unassigned > 0 && <small> {formatCount(unassigned)} unassigned</small>}
        </Item>
        <Item label="Hosts">
          {formatCount(data.totals.hosts)}
          {data.totals.excluded_hosts > 0 && <small> {formatCount(data.totals.excluded_hosts)} excluded by the chain</small>}
        </Item>
        <Item label="ML nodes">{formatCount(data.totals.ml_nodes)}</Item>
      </dl>
      <div className="chain-counters">
        <p className="chain-counters__label">Counted by the chain itself, over all models:</p>
        <dl className="epoch-meta">
          <Item label="Requests" valueClass="num-text">
            <Counter value={c.requests} />
          </Item>
          <Item label="Inferences" valueClass="num-text">
            <Counter value={c.inferences} />
          </Item>
          <Item label="Missed requests" valueClass="num-text">
            <Counter value={c.missed_requests} />
          </Item>
        </dl>
      </div>
      <dl className="epoch-meta">
        <Item label="Usage window">
          {w ? (
            <>
              <Time iso={w.start_time} /> → <Time iso={w.end_time} />
              <span className="muted">
                {' '}
                ({formatDuration(Date.parse(w.end_time) - Date.parse(w.start_time))}
                {data.is_current ? ', so far' : ''})
              </span>
            </>
          ) : (
            'unavailable'
          )}
        </Item>
        <Item label="Usage from">
          {data.usage_source === null ? <span className="muted">no source</span> : USAGE_SOURCES[data.usage_source]}
          {data.usage_scope === 'classic_only' && <small className="usage-scope"> {CLASSIC_ONLY}</small>}
        </Item>
        <Item label="Data fetched">
          <Time iso={data.fetched_at} />
        </Item>
        <Item label="Download">
          <a href={urls.epochJson(data.epoch_id)}>JSON snapshot</a>
          <span aria-hidden="true"> · </span>
          <a href={urls.epochCsv(data.epoch_id)}>CSV table</a>
          <span aria-hidden="true"> · </span>
          <a href={urls.epochHostsCsv(data.epoch_id)}>hosts CSV</a>
        </Item>
      </dl>
      {noUsage && (
        <p className="notice notice--warn" data-usage-unavailable="">
          {data.usage_unavailable ?? 'Usage unavailable for this epoch.'}
        </p>
      )}
    </header>
  );
}

/**
 * The epoch header: id, CURRENT badge, height, headline totals, usage window and
 * fetch time. Part of the island so a refresh that brings a new epoch updates
 * the heading together with the table.
 */
import { formatCount, formatDateTime, formatDuration } from '../site/format.ts';
import type { SiteUrls } from '../site/urls.ts';
import { Item } from './ModelDetails.tsx';
import type { EpochData } from './snapshot.ts';

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** The header block of an epoch view. */
export function EpochHeader({ data, urls }: { data: EpochData; urls: SiteUrls }) {
  const unassigned = data.totals.poc_weight - data.totals.model_weight;
  // Snapshots also list registry models nobody hosts (weight 0); the headline counts hosted ones.
  const unhosted = Math.max(0, data.models.length - data.totals.models_hosted);
  const w = data.window;
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
      <dl className="stats">
        <Item label="Models">
          {formatCount(data.totals.models_hosted)}
          {unhosted > 0 && <small>+{formatCount(unhosted)} listed without weight</small>}
        </Item>
        <Item label="Total weight">
          {formatCount(data.totals.poc_weight)}
          {unassigned > 0 && <small>{formatCount(unassigned)} unassigned</small>}
        </Item>
        <Item label="Hosts">{formatCount(data.totals.hosts)}</Item>
        <Item label="ML nodes">{formatCount(data.totals.ml_nodes)}</Item>
      </dl>
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
        <Item label="Data fetched">
          <Time iso={data.fetched_at} />
        </Item>
        <Item label="Download">
          <a href={urls.epochJson(data.epoch_id)}>JSON snapshot</a>
          <span aria-hidden="true"> · </span>
          <a href={urls.epochCsv(data.epoch_id)}>CSV table</a>
        </Item>
      </dl>
      {(w === null || data.usage_unavailable) && (
        <p className="notice notice--warn">
          <strong>Usage unavailable for this epoch.</strong> Inferences and AI tokens show “–”, not zero.
          {data.usage_unavailable && <> Reason: {data.usage_unavailable}</>}
        </p>
      )}
    </header>
  );
}

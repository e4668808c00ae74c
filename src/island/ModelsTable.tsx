/**
 * The models table of an epoch. Rendered to HTML at build time and hydrated by
 * the island, so the no-JS page and the live one share this markup exactly.
 * Without JS the model ids are plain links to the model pages; with JS a plain
 * click (or Enter) opens the dialog instead, modified clicks still navigate.
 */
import type { MouseEvent, ReactNode } from 'react';
import { formatCount, formatShare, formatSigned, formatSignedPct } from '../site/format.ts';
import { ModelId } from './ModelId.tsx';
import type { ModelRow } from './snapshot.ts';
import type { RowTrend } from './trends.ts';

/** Sparkline size (the paths are built for it, see src/components/charts/layout.ts). */
const SPARK_WIDTH = 64;
const SPARK_HEIGHT = 18;

export type SortKey =
  | 'id'
  | 'total_weight'
  | 'weight_delta'
  | 'share'
  | 'participant_count'
  | 'ml_nodes'
  | 'inferences'
  | 'ai_tokens';
export type SortDir = 'ascending' | 'descending';
export interface SortState {
  key: SortKey;
  dir: SortDir;
}

/** The order the page is built in: heaviest model first. */
export const DEFAULT_SORT: SortState = { key: 'total_weight', dir: 'descending' };

/** The columns in order; `trend` (the sparkline) is the one column without a sort button. */
const COLUMNS: ReadonlyArray<{ key: SortKey | 'trend'; label: string; numeric: boolean }> = [
  { key: 'id', label: 'Model ID', numeric: false },
  { key: 'total_weight', label: 'Total Weight', numeric: true },
  { key: 'weight_delta', label: 'Δ Weight', numeric: true },
  { key: 'trend', label: 'Trend', numeric: false },
  { key: 'share', label: 'Share', numeric: true },
  { key: 'participant_count', label: 'Hosts', numeric: true },
  { key: 'ml_nodes', label: 'ML Nodes', numeric: true },
  { key: 'inferences', label: 'Inferences', numeric: true },
  { key: 'ai_tokens', label: 'AI Tokens', numeric: true },
];

/** The sortable figure of a row that can be missing: usage, or a change without a previous epoch. */
function optional(m: ModelRow, key: SortKey, trends?: ReadonlyMap<string, RowTrend>): number | string | null | undefined {
  if (key === 'weight_delta') return trends?.get(m.id)?.weightDelta ?? null;
  if (key === 'inferences' || key === 'ai_tokens') return m[key];
  return undefined;
}

const byId = (a: ModelRow, b: ModelRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function compareKey(a: ModelRow, b: ModelRow, key: SortKey, trends?: ReadonlyMap<string, RowTrend>): number {
  switch (key) {
    case 'id':
      return byId(a, b);
    case 'ai_tokens': {
      // Token counts may pass 2^53: compare as BigInt.
      const x = BigInt(a.ai_tokens ?? '0');
      const y = BigInt(b.ai_tokens ?? '0');
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'inferences':
    case 'weight_delta':
      return (optional(a, key, trends) as number) - (optional(b, key, trends) as number);
    default:
      return a[key] - b[key];
  }
}

/** Rows in `sort` order; rows without the figure (usage, a change) go last whatever the direction; ties by id. */
export function sortModels(models: readonly ModelRow[], sort: SortState, trends?: ReadonlyMap<string, RowTrend>): ModelRow[] {
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return [...models].sort((a, b) => {
    const an = optional(a, sort.key, trends) === null;
    const bn = optional(b, sort.key, trends) === null;
    if (an !== bn) return an ? 1 : -1;
    if (an) return byId(a, b);
    return sign * compareKey(a, b, sort.key, trends) || byId(a, b);
  });
}

/** The change cells of a row: the weight change (with percent) and the host change, or "–" without a previous epoch. */
function Change({ value, children }: { value: number | null | undefined; children?: ReactNode }) {
  if (value === null || value === undefined) {
    return (
      <span className="na" title="No earlier epoch to compare with">
        –<span className="visually-hidden"> (no earlier epoch)</span>
      </span>
    );
  }
  return (
    <span className={value > 0 ? 'delta up' : value < 0 ? 'delta down' : 'delta'}>
      {formatSigned(value)}
      {children}
    </span>
  );
}

/** The small line under a weight change: the percentage, or why there is none. */
function pctNote(t: RowTrend): string | null {
  if (t.isNew) return 'new';
  if (t.weightDeltaPct !== null) return formatSignedPct(t.weightDeltaPct);
  return t.weightDelta ? 'from 0' : null;
}

/** The sort after clicking `key`: flips the current column, else starts numbers high-first and ids A→Z. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
  return { key, dir: key === 'id' ? 'ascending' : 'descending' };
}

/** The "–" shown where usage is unavailable, with the reason for sighted and screen-reader users. */
export function UsageUnavailable({ reason }: { reason: string | null }) {
  return (
    <span className="na" title={reason ? `Usage unavailable: ${reason}` : 'Usage unavailable'}>
      –<span className="visually-hidden"> (usage unavailable)</span>
    </span>
  );
}

interface Props {
  models: readonly ModelRow[];
  sort: SortState;
  /** Called with the new sort when a header button is pressed. */
  onSort(sort: SortState): void;
  /** The model page URL for an id. */
  modelHref(id: string): string;
  /** Opens the dialog for a row; absent on the build-only render. */
  onOpen?(id: string): void;
  /** Why usage is missing, for the "–" cells. */
  usageUnavailable: string | null;
  /** Names the table for screen readers; the sort order is appended. */
  caption: string;
  /** Each row's change figures and sparkline, by model id; null when they do not match the shown epoch. */
  trends: ReadonlyMap<string, RowTrend> | null;
}

const plainClick = (e: MouseEvent) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

/** The sortable models table. */
export function ModelsTable({ models, sort, onSort, modelHref, onOpen, usageUnavailable, caption, trends }: Props) {
  const rows = sortModels(models, sort, trends ?? undefined);
  return (
    <div className="table-scroll" role="region" aria-label="Models" tabIndex={0}>
      <table className="data-table models-table">
        <caption className="visually-hidden" data-pagefind-ignore="all">
          {caption}, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label}, {sort.dir}
        </caption>
        <thead data-pagefind-ignore="all">
          <tr>
            {COLUMNS.map((col) => {
              if (col.key === 'trend') {
                return (
                  <th key={col.key} scope="col">
                    {col.label}
                  </th>
                );
              }
              const key = col.key;
              const active = sort.key === key;
              return (
                <th
                  key={col.key}
                  scope="col"
                  className={col.numeric ? 'num' : undefined}
                  aria-sort={active ? sort.dir : undefined}
                >
                  <button type="button" className="sort" onClick={() => onSort(nextSort(sort, key))}>
                    {col.label}
                    <span className="sort__icon" aria-hidden="true">
                      {active ? (sort.dir === 'ascending' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length} className="empty">
                No model is hosted in this epoch.
              </td>
            </tr>
          )}
          {rows.map((m) => {
            const t = trends?.get(m.id);
            const note = t ? pctNote(t) : null;
            return (
              <tr
                key={m.id}
                onClick={(e) => {
                  // A click anywhere on the row opens the dialog, except on the link (handled below) or selected text.
                  if (!onOpen || (e.target as HTMLElement).closest('a, button')) return;
                  if (window.getSelection()?.toString()) return;
                  onOpen(m.id);
                }}
              >
                <th scope="row" className="model-cell">
                  <a
                    href={modelHref(m.id)}
                    className="model-link"
                    data-model-id={m.id}
                    onClick={(e) => {
                      if (!onOpen || !plainClick(e)) return;
                      e.preventDefault();
                      onOpen(m.id);
                    }}
                  >
                    <ModelId id={m.id} />
                  </a>
                  {!m.in_registry && ' '}
                  {!m.in_registry && <span className="badge badge--muted">not in registry</span>}
                </th>
                <td className="num">{formatCount(m.total_weight)}</td>
                <td className="num">
                  <Change value={t?.weightDelta}>{note && <small>{note}</small>}</Change>
                </td>
                <td className="spark-cell">
                  {t?.spark && (
                    <svg className="spark" width={SPARK_WIDTH} height={SPARK_HEIGHT} viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`} aria-hidden="true" focusable="false">
                      <path d={t.spark} />
                    </svg>
                  )}
                </td>
                <td className="num share">
                  {formatShare(m.share)}
                  <span className="share__bar" aria-hidden="true">
                    <span style={{ width: `${Math.min(100, m.share * 100)}%` }} />
                  </span>
                </td>
                <td className="num">
                  {formatCount(m.participant_count)}
                  {t && t.hostsDelta !== null && (
                    <small className={t.hostsDelta > 0 ? 'delta up' : t.hostsDelta < 0 ? 'delta down' : 'delta'}>
                      <span className="visually-hidden">, change </span>
                      {formatSigned(t.hostsDelta)}
                    </small>
                  )}
                </td>
                <td className="num">{formatCount(m.ml_nodes)}</td>
                <td className="num">
                  {m.inferences === null ? <UsageUnavailable reason={usageUnavailable} /> : formatCount(m.inferences)}
                </td>
                <td className="num">
                  {m.ai_tokens === null ? <UsageUnavailable reason={usageUnavailable} /> : formatCount(m.ai_tokens)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The models table of an epoch. Rendered to HTML at build time and hydrated by
 * the island, so the no-JS page and the live one share this markup exactly.
 * Without JS the model ids are plain links to the model pages; with JS a plain
 * click (or Enter) opens the dialog instead, modified clicks still navigate.
 */
import { compareIds } from '../snapshot/order.ts';
import { NO_FACTOR, NOT_COUNTED, Unknown, UsageUnavailable } from './Missing.tsx';
import type { MouseEvent, ReactNode } from 'react';
import { formatCount, formatShare, formatSigned, formatSignedPct } from '../display/format.ts';
import { ModelId } from './ModelId.tsx';
import type { ModelRow } from './epoch-data.ts';
import type { RowTrend } from '../display/trends.ts';

/** Sparkline size (the paths are built for it, see src/display/chart-layout.ts). */
const SPARK_WIDTH = 64;
const SPARK_HEIGHT = 18;

export type SortKey =
  | 'id'
  | 'effective_weight'
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

/** The order the page is built in: the most effective weight first. */
export const DEFAULT_SORT: SortState = { key: 'effective_weight', dir: 'descending' };

/**
 * The columns in order; `trend` (the sparkline) is the one column without a sort
 * button. `cardExtra` columns are left out of the phone layout's cards (the dialog has them).
 */
export const COLUMNS: ReadonlyArray<{ key: SortKey | 'trend'; label: string; numeric: boolean; cardExtra?: boolean }> = [
  { key: 'id', label: 'Model ID', numeric: false },
  { key: 'effective_weight', label: 'Effective weight', numeric: true },
  { key: 'total_weight', label: 'Raw PoC weight', numeric: true },
  { key: 'weight_delta', label: 'Δ', numeric: true },
  { key: 'trend', label: 'Trend', numeric: false },
  { key: 'share', label: 'Share', numeric: true },
  { key: 'participant_count', label: 'Hosts', numeric: true },
  { key: 'ml_nodes', label: 'ML nodes', numeric: true, cardExtra: true },
  { key: 'inferences', label: 'Inferences', numeric: true },
  { key: 'ai_tokens', label: 'AI tokens', numeric: true, cardExtra: true },
];

/** What a header's button says to screen readers when its label is short. */
const FULL_LABELS: Partial<Record<SortKey, string>> = { weight_delta: 'Δ effective weight', share: 'Share of effective weight' };

/** A sortable figure that can be missing (null): effective weight, share, usage, a change. Others never are. */
function value(m: ModelRow, key: SortKey, trends?: ReadonlyMap<string, RowTrend>): number | string | null {
  switch (key) {
    case 'id':
      return m.id;
    case 'weight_delta':
      return trends?.get(m.id)?.weightDelta ?? null;
    default:
      return m[key];
  }
}

const byId = (a: ModelRow, b: ModelRow) => compareIds(a.id, b.id);

function compareKey(a: ModelRow, b: ModelRow, key: SortKey, trends?: ReadonlyMap<string, RowTrend>): number {
  if (key === 'id') return byId(a, b);
  if (key === 'ai_tokens') {
    // Token counts may pass 2^53: compare as BigInt.
    const x = BigInt(a.ai_tokens!);
    const y = BigInt(b.ai_tokens!);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return (value(a, key, trends) as number) - (value(b, key, trends) as number);
}

/** Rows in `sort` order; rows without the figure (unknown, or a change without a previous epoch) go last whatever the direction; ties by id. */
export function sortModels(models: readonly ModelRow[], sort: SortState, trends?: ReadonlyMap<string, RowTrend>): ModelRow[] {
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return [...models].sort((a, b) => {
    const an = value(a, sort.key, trends) === null;
    const bn = value(b, sort.key, trends) === null;
    if (an !== bn) return an ? 1 : -1;
    if (an) return byId(a, b);
    return sign * compareKey(a, b, sort.key, trends) || byId(a, b);
  });
}

/** The change cells of a row: the effective weight change (with percent), or "–" with why there is none. */
function Change({ trend, children }: { trend: RowTrend | undefined; children?: ReactNode }) {
  const value = trend?.weightDelta;
  if (value === null || value === undefined) {
    return trend?.deltaUnknown ? (
      <Unknown reason="effective weight unknown in this or the previous epoch" />
    ) : (
      <Unknown reason="no earlier epoch" title="No earlier epoch to compare with" />
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

/** The row's badges: out of the registry, or weight that does not count. */
export function RowBadges({ row }: { row: ModelRow }) {
  const notCounted = row.weight_scale.eligible === false && row.total_weight > 0;
  return (
    <>
      {row.registry_status === 'removed' && ' '}
      {row.registry_status === 'removed' && (
        <span className="badge badge--warn">removed from registry</span>
      )}
      {row.registry_status === 'unregistered' && ' '}
      {row.registry_status === 'unregistered' && <span className="badge badge--muted">not in registry</span>}
      {notCounted && ' '}
      {notCounted && (
        <span className="badge badge--warn" title={NOT_COUNTED}>
          not counted<span className="visually-hidden">{`: ${NOT_COUNTED.toLowerCase()}`}</span>
        </span>
      )}
    </>
  );
}

/** The sort after clicking `key`: flips the current column, else starts numbers high-first and ids A→Z. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
  return { key, dir: key === 'id' ? 'ascending' : 'descending' };
}

interface Props {
  models: readonly ModelRow[];
  sort: SortState;
  /** Called with the new sort when a header button is pressed. */
  onSort(sort: SortState): void;
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

/** The models table's element id: `/` and the epoch pages hold their first frame until it is parsed (`firstFrame` in src/components/Layout.astro). */
export const MODELS_TABLE_ID = 'models-table';

/** The sortable models table. */
export function ModelsTable({ models, sort, onSort, onOpen, usageUnavailable, caption, trends }: Props) {
  const rows = sortModels(models, sort, trends ?? undefined);
  return (
    <div className="table-scroll" role="region" aria-label="Models" tabIndex={0}>
      <table className="data-table models-table" id={MODELS_TABLE_ID}>
        <caption className="visually-hidden" data-pagefind-ignore="all">
          {caption}, sorted by {FULL_LABELS[sort.key] ?? COLUMNS.find((c) => c.key === sort.key)?.label}, {sort.dir}
        </caption>
        <thead data-pagefind-ignore="all">
          <tr>
            {COLUMNS.map((col) => {
              if (col.key === 'trend') {
                return (
                  <th key={col.key} scope="col" className="unsorted">
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
                  className={[col.numeric && 'num', col.cardExtra && 'card-extra'].filter(Boolean).join(' ') || undefined}
                  aria-sort={active ? sort.dir : undefined}
                >
                  <button type="button" className="sort" onClick={() => onSort(nextSort(sort, key))}>
                    {FULL_LABELS[key] ? (
                      <>
                        <span aria-hidden="true">{col.label}</span>
                        <span className="visually-hidden">{FULL_LABELS[key]}</span>
                      </>
                    ) : (
                      col.label
                    )}
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
                    href={m.page_url}
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
                  <RowBadges row={m} />
                </th>
                <td className="num" data-label="Effective weight">
                  {m.effective_weight === null ? <Unknown reason={NO_FACTOR} /> : formatCount(m.effective_weight)}
                </td>
                <td className="num" data-label="Raw PoC weight">
                  {formatCount(m.total_weight)}
                </td>
                <td className="num" data-label="Δ effective weight">
                  <Change trend={t}>{note && <small>{note}</small>}</Change>
                </td>
                <td className="spark-cell" data-label="Trend">
                  {t?.spark && (
                    <svg className="spark" width={SPARK_WIDTH} height={SPARK_HEIGHT} viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`} aria-hidden="true" focusable="false">
                      <path d={t.spark} />
                    </svg>
                  )}
                </td>
                <td className="num share" data-label="Share">
                  {m.share === null ? (
                    <Unknown reason={m.effective_weight === null ? NO_FACTOR : 'total effective weight unknown'} />
                  ) : (
                    <>
                      {formatShare(m.share)}
                      <span className="share__bar" aria-hidden="true">
                        <span style={{ width: `${Math.min(100, m.share * 100)}%` }} />
                      </span>
                    </>
                  )}
                </td>
                <td className="num" data-label="Hosts">
                  {formatCount(m.participant_count)}
                  {m.excluded_hosts > 0 && <small className="excluded-note"> {formatCount(m.excluded_hosts)} excluded</small>}
                  {t && t.hostsDelta !== null && (
                    <small className={t.hostsDelta > 0 ? 'delta up' : t.hostsDelta < 0 ? 'delta down' : 'delta'}>
                      <span className="visually-hidden">, change </span>
                      {formatSigned(t.hostsDelta)}
                    </small>
                  )}
                </td>
                <td className="num card-extra" data-label="ML nodes">
                  {formatCount(m.ml_nodes)}
                </td>
                <td className="num" data-label="Inferences">
                  {m.inferences === null ? <UsageUnavailable reason={usageUnavailable} /> : formatCount(m.inferences)}
                </td>
                <td className="num card-extra" data-label="AI tokens">
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

/**
 * The per-row change figures the models table shows beside each model: the
 * change of effective weight against the previous epoch with data and a
 * sparkline of the last epochs' effective weight. Computed at build time (src/views/history.ts) and passed to the island as
 * plain numbers and a ready SVG path, so the island ships no history and no
 * chart code. Types only: nothing here ends up in the bundle.
 */

/** One model's change figures in one epoch. */
export interface RowTrend {
  id: string;
  /** Effective weight change since the previous epoch with data (from 0 when the model had no row); null when there is none or it is unknown. */
  weightDelta: number | null;
  /** The change in percent (2 decimals); null when the previous effective weight was 0, or the change is null. */
  weightDeltaPct: number | null;
  /** There is a previous epoch, but the change is unknown (a scale factor could not be read). */
  deltaUnknown: boolean;
  /** Host count change; null when there is no previous epoch. */
  hostsDelta: number | null;
  /** The model had no row in the previous epoch. */
  isNew: boolean;
  /** SVG path of the effective weight over the last epochs (see SPARK_WIDTH/SPARK_HEIGHT); '' when there is nothing to draw. */
  spark: string;
}

/** The change figures of every model of one epoch. */
export interface TrendData {
  epochId: number;
  /** The epoch the changes are against; null for the first epoch with data. */
  previousEpochId: number | null;
  /** How many epochs the sparklines span (ending at `epochId`). */
  sparkEpochs: number;
  rows: RowTrend[];
}

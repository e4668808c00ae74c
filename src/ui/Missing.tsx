/**
 * What the pages and the island show where a figure is not known: "–" with the
 * reason (a tooltip, and text for screen readers), never a 0; and the wording of
 * missing usage, in one place for the build and the browser.
 */
import { formatCount } from '../display/format.ts';
import type { EpochData } from './epoch-data.ts';

/** "–" for a figure that is not known, with the reason as a tooltip and for screen readers. */
export function Unknown({ reason, title }: { reason: string; title?: string }) {
  return (
    <span className="na" title={title ?? reason}>
      –<span className="visually-hidden">{` (${reason})`}</span>
    </span>
  );
}

/** Why a row's effective weight (and so its share) is unknown. */
export const NO_FACTOR = 'weight scale factor unknown';

/** The title of the "not counted" badge. */
export const NOT_COUNTED = 'Its weight does not count toward consensus in this epoch';

/** Said wherever usage counts classic inference only. */
export const CLASSIC_ONLY = 'Classic inference only: devshard sessions are not counted by any public route.';

/**
 * Why a usage cell shows "–": the epoch's reason, or, where the figures count
 * classic inference only, that none was counted for the model (devshard use may exist).
 */
export function missingUsageReason(unavailable: string | null, scope: EpochData['usage_scope']): string | null {
  return unavailable ?? (scope === 'classic_only' ? `No classic inference was counted for this model. ${CLASSIC_ONLY}` : null);
}

/** The "–" shown where usage is unavailable, with the reason for sighted and screen-reader users. */
export function UsageUnavailable({ reason }: { reason: string | null }) {
  return <Unknown reason="usage unavailable" title={reason ? `Usage unavailable: ${reason}` : 'Usage unavailable'} />;
}

/** A usage figure, or "–" with why it is missing. */
export function UsageFigure({ value, reason }: { value: number | string | null; reason: string | null }) {
  return value === null ? <UsageUnavailable reason={reason} /> : <>{formatCount(value)}</>;
}

/**
 * Number, share and date formatting shared by the pages and the island.
 * Pure and locale-independent on purpose: the island re-renders the build-time
 * HTML, so both sides must produce identical text whatever the viewer's locale
 * or time zone (times are shown in UTC). Token counts can pass 2^53, so integers
 * given as decimal strings are formatted from the string with BigInt, never Number().
 */

/** Grouping in a fixed locale, so build and browser agree; it formats BigInt exactly, whatever its size. */
const GROUPED = new Intl.NumberFormat('en-US', { useGrouping: true, maximumFractionDigits: 0 });

/** A decimal integer string with `,` every three digits (sign kept). */
export function groupDigits(digits: string): string {
  return GROUPED.format(BigInt(digits));
}

/** A count with separators: `1234567` → `1,234,567`; strings are read exactly via BigInt. */
export function formatCount(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return groupDigits(Number.isSafeInteger(value) ? String(value) : value.toFixed(0));
  }
  return /^-?\d+$/.test(value) ? groupDigits(BigInt(value).toString()) : value;
}

const SHORT_UNITS: ReadonlyArray<[bigint, string]> = [
  [10n ** 15n, 'Q'],
  [10n ** 12n, 'T'],
  [10n ** 9n, 'B'],
  [10n ** 6n, 'M'],
  [10n ** 3n, 'K'],
];

/**
 * A short form with three significant digits: `41022019377` → `41.0 B`.
 * Values of 10^18 and more use scientific notation (`1.84e19`). Exact below 1,000.
 */
export function formatShort(value: number | string): string {
  const n = BigInt(typeof value === 'number' ? Math.trunc(value) : value);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const sign = negative ? '-' : '';
  if (abs >= 10n ** 18n) {
    const digits = abs.toString();
    const mantissa = `${digits[0]}.${digits.slice(1, 3)}`;
    return `${sign}${mantissa}e${digits.length - 1}`;
  }
  for (const [unit, suffix] of SHORT_UNITS) {
    if (abs >= unit) {
      // Three significant digits, truncated (not rounded) so 999,999 never reads as "1000 K".
      const whole = abs / unit;
      const wholeDigits = whole.toString().length;
      const decimals = Math.max(0, 3 - wholeDigits);
      const scaled = (abs * 10n ** BigInt(decimals)) / unit;
      const text = scaled.toString();
      const shown = decimals ? `${text.slice(0, text.length - decimals)}.${text.slice(text.length - decimals)}` : text;
      return `${sign}${shown} ${suffix}`;
    }
  }
  return `${sign}${abs.toString()}`;
}

/** A share in [0, 1] as a percentage with two decimals; a tiny non-zero share shows as `<0.01%`. */
export function formatShare(share: number): string {
  if (share <= 0) return '0%';
  if (share < 0.00005) return '<0.01%';
  return `${(share * 100).toFixed(2)}%`;
}

/** A Cosmos Decimal `{value, exponent}` as an exact decimal string: `{970917, -6}` → `0.970917`. */
export function formatDecimal(decimal: { value: string; exponent: number }): string {
  const negative = decimal.value.startsWith('-');
  let digits = BigInt(negative ? decimal.value.slice(1) : decimal.value).toString();
  const exp = decimal.exponent;
  let out: string;
  if (exp >= 0) {
    out = digits === '0' ? '0' : digits + '0'.repeat(exp);
  } else {
    const places = -exp;
    digits = digits.padStart(places + 1, '0');
    const intPart = digits.slice(0, digits.length - places);
    const fracPart = digits.slice(digits.length - places).replace(/0+$/, '');
    out = fracPart ? `${intPart}.${fracPart}` : intPart;
  }
  return negative && out !== '0' ? `-${out}` : out;
}

function parts(iso: string): { date: string; time: string; seconds: string } | null {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const s = d.toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16), seconds: s.slice(16, 19) };
}

/** `2025-12-09T16:09:40Z` → `2025-12-09 16:09 UTC`. */
export function formatDateTime(iso: string): string {
  const p = parts(iso);
  return p ? `${p.date} ${p.time} UTC` : iso;
}

/** `2025-12-09T16:09:40Z` → `2025-12-09`. */
export function formatDate(iso: string): string {
  return parts(iso)?.date ?? iso;
}

/** `2025-12-09T16:09:40Z` → `16:09:40 UTC` (for "stale since" and refresh times). */
export function formatTimeOfDay(iso: string): string {
  const p = parts(iso);
  return p ? `${p.time}${p.seconds} UTC` : iso;
}

/** A duration as `1 d 2 h`, `5 h 12 min` or `42 min` (window lengths). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-09-22T…Z` → `Sep 22` (UTC), for chart axes. */
export function formatMonthDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** A change with its sign: `+1,234`, `−1,234` (minus sign U+2212), `0`. */
export function formatSigned(delta: number): string {
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : '\u2212'}${formatCount(Math.abs(delta))}`;
}

/** A percentage change with its sign and two decimals: `+1.52%`, `−0.40%`, `0.00%`. */
export function formatSignedPct(pct: number): string {
  const text = Math.abs(pct).toFixed(2);
  if (text === '0.00') return '0.00%';
  return `${pct > 0 ? '+' : '\u2212'}${text}%`;
}

/** A short axis label: `formatShort` without trailing zeros (`1.50 M` → `1.5 M`, `500 K`). */
export function formatTick(value: number): string {
  return formatShort(Math.round(value)).replace(/\.(\d*?)0+ /, (_, kept: string) => (kept ? `.${kept} ` : ' '));
}

/** A concentration share (0–1) as a percentage with two decimals (`0.137` → `13.70%`). */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

/** The Herfindahl–Hirschman index (0–10 000) rounded to a whole number with separators. */
export function formatHhi(hhi: number): string {
  return formatCount(Math.round(hhi));
}

/**
 * A non-negative exact decimal string with `,` separators in its whole part:
 * `1234.5` → `1,234.5`. Anything else is returned as it is.
 */
export function formatDecimalText(text: string): string {
  const m = /^(\d+)(\.\d+)?$/.exec(text);
  return m ? `${groupDigits(BigInt(m[1]!).toString())}${m[2] ?? ''}` : text;
}

/** ngonka per GNK: 10^9 ngonka = 1 GNK. */
const NGONKA_PER_GNK = 10n ** 9n;

/**
 * An ngonka amount (a decimal integer string, any size) in GNK, exact: the whole
 * part grouped, the fraction without trailing zeros. `1500000000` → `1.5`,
 * `18446744073709551615` → `18,446,744,073.709551615`.
 */
export function formatGnk(ngonka: string): string {
  if (!/^\d+$/.test(ngonka)) return ngonka;
  const n = BigInt(ngonka);
  const whole = groupDigits((n / NGONKA_PER_GNK).toString());
  const frac = (n % NGONKA_PER_GNK).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

/**
 * A chart axis label for a value that may be fractional (prices): whole numbers
 * as `formatTick`, smaller ones with up to six decimals, trailing zeros dropped.
 */
export function formatFractionTick(value: number): string {
  if (Math.abs(value) >= 1000) return formatTick(value);
  return value.toFixed(6).replace(/\.?0+$/, '') || '0';
}

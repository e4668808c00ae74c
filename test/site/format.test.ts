import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatDecimalText,
  formatDuration,
  formatFractionTick,
  formatGnk,
  formatHhi,
  formatMonthDay,
  formatPercent,
  formatShare,
  formatShort,
  formatSigned,
  formatSignedPct,
  formatTick,
  formatTimeOfDay,
  groupDigits,
} from '../../src/display/format.ts';

describe('counts', () => {
  it('groups digits', () => {
    expect(groupDigits('0')).toBe('0');
    expect(groupDigits('999')).toBe('999');
    expect(groupDigits('1000')).toBe('1,000');
    expect(groupDigits('-1234567')).toBe('-1,234,567');
    expect(formatCount(431907)).toBe('431,907');
    expect(formatCount(0)).toBe('0');
  });
  it('formats token strings beyond 2^53 exactly', () => {
    expect(formatCount('18446744073709551999')).toBe('18,446,744,073,709,551,999');
    // Number() would round this to ...992.
    expect(formatCount('9007199254740993')).toBe('9,007,199,254,740,993');
    expect(formatCount('000123')).toBe('123');
  });
});

describe('formatShort', () => {
  it('keeps three significant digits without rounding up a unit', () => {
    expect(formatShort(999)).toBe('999');
    expect(formatShort(1000)).toBe('1.00 K');
    expect(formatShort(999_999)).toBe('999 K');
    expect(formatShort('41022019377')).toBe('41.0 B');
    expect(formatShort('98123456789012')).toBe('98.1 T');
    expect(formatShort('18446744073709551999')).toBe('1.84e19');
  });
});

describe('shares and decimals', () => {
  it('formats shares as percentages', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.795561)).toBe('79.56%');
    expect(formatShare(1)).toBe('100.00%');
    expect(formatShare(0.00001)).toBe('<0.01%');
  });
  it('formats Cosmos decimals exactly', () => {
    expect(formatDecimal({ value: '970917', exponent: -6 })).toBe('0.970917');
    expect(formatDecimal({ value: '97', exponent: -2 })).toBe('0.97');
    expect(formatDecimal({ value: '95814', exponent: -5 })).toBe('0.95814');
    expect(formatDecimal({ value: '5', exponent: -1 })).toBe('0.5');
    expect(formatDecimal({ value: '100', exponent: -2 })).toBe('1');
    expect(formatDecimal({ value: '5', exponent: 2 })).toBe('500');
    expect(formatDecimal({ value: '-5', exponent: -3 })).toBe('-0.005');
    expect(formatDecimal({ value: '0', exponent: -3 })).toBe('0');
  });
});

describe('dates', () => {
  it('formats in UTC whatever the local zone', () => {
    expect(formatDateTime('2025-12-09T16:09:40Z')).toBe('2025-12-09 16:09 UTC');
    expect(formatDate('2025-12-09T16:09:40Z')).toBe('2025-12-09');
    expect(formatTimeOfDay('2025-12-09T16:09:40.123Z')).toBe('16:09:40 UTC');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
  it('formats durations', () => {
    expect(formatDuration(42 * 60_000)).toBe('42 min');
    expect(formatDuration((12 * 60 + 31) * 60_000)).toBe('12 h 31 min');
    expect(formatDuration((25 * 60 + 44) * 60_000)).toBe('1 d 1 h');
    expect(formatDuration(-1)).toBe('–');
  });
});

describe('changes and chart labels', () => {
  it('signs changes with + and a real minus', () => {
    expect(formatSigned(1234)).toBe('+1,234');
    expect(formatSigned(-1234)).toBe('\u22121,234');
    expect(formatSigned(0)).toBe('0');
    expect(formatSignedPct(1.5)).toBe('+1.50%');
    expect(formatSignedPct(-0.004)).toBe('0.00%');
    expect(formatSignedPct(-100)).toBe('\u2212100.00%');
  });
  it('labels axes briefly and dates as month and day (UTC)', () => {
    expect(formatTick(1_500_000)).toBe('1.5 M');
    expect(formatTick(1_000_000)).toBe('1 M');
    expect(formatTick(250_000)).toBe('250 K');
    expect(formatTick(1_750_000)).toBe('1.75 M');
    expect(formatTick(300)).toBe('300');
    expect(formatMonthDay('2025-09-22T23:59:59Z')).toBe('Sep 22');
    expect(formatMonthDay('nope')).toBe('nope');
  });
  it('shows concentration figures', () => {
    expect(formatPercent(0.136975)).toBe('13.70%');
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatHhi(102.61)).toBe('103');
    expect(formatHhi(10000)).toBe('10,000');
  });
});

describe('GNK and decimal text', () => {
  it('turns ngonka into GNK exactly (10^9 ngonka = 1 GNK), beyond 2^53 too', () => {
    expect(formatGnk('0')).toBe('0');
    expect(formatGnk('1')).toBe('0.000000001');
    expect(formatGnk('1500000000')).toBe('1.5');
    expect(formatGnk('1000000000000')).toBe('1,000');
    expect(formatGnk('2132839486764')).toBe('2,132.839486764');
    // Number() would lose the last digits.
    expect(formatGnk('18446744073709551615')).toBe('18,446,744,073.709551615');
    expect(formatGnk('not a number')).toBe('not a number');
  });
  it('groups the whole part of an exact decimal and keeps its fraction', () => {
    expect(formatDecimalText('0.25')).toBe('0.25');
    expect(formatDecimalText('1234567.0005')).toBe('1,234,567.0005');
    expect(formatDecimalText('1000')).toBe('1,000');
    expect(formatDecimalText('-1')).toBe('-1');
  });
  it('labels fractional axes with up to six decimals', () => {
    expect(formatFractionTick(0)).toBe('0');
    expect(formatFractionTick(0.1)).toBe('0.1');
    expect(formatFractionTick(0.0025)).toBe('0.0025');
    expect(formatFractionTick(2.5)).toBe('2.5');
    expect(formatFractionTick(1_500_000)).toBe('1.5 M');
  });
});

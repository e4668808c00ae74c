import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { csvField, decimalNumber, digits, neutralise, numberText, toCsv } from '../../src/site/csv.ts';

describe('CSV fields', () => {
  it('quotes fields with a quote, comma, CR or LF and doubles quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('odd id/with spaces & "<b>"')).toBe('"odd id/with spaces & ""<b>"""');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    for (const t of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(t)).toBe(`'${t}`);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('Qwen/QwQ-32B')).toBe('Qwen/QwQ-32B');
    expect(neutralise("'already")).toBe("'already");
  });

  it('writes numbers as plain numbers, negative ones included, never in exponent notation', () => {
    expect(csvField(-1234)).toBe('-1234');
    expect(csvField(0.478774)).toBe('0.478774');
    expect(csvField(-0.31)).toBe('-0.31');
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(1e21)).toBe('1000000000000000000000');
    expect(() => numberText(NaN)).toThrow();
  });

  it('writes exact decimals (prices, scale factors) verbatim as number cells', () => {
    expect(csvField(decimalNumber('0.25'))).toBe('0.25');
    expect(csvField(decimalNumber('123456789012345678901.000000001'))).toBe('123456789012345678901.000000001');
    expect(csvField(decimalNumber('-0.5'))).toBe('-0.5');
    expect(() => decimalNumber('1e-7')).toThrow(/not a decimal number/);
    expect(() => decimalNumber('=1')).toThrow();
    expect(() => decimalNumber('.5')).toThrow();
  });

  it('keeps big integers exact, writes booleans, and leaves missing values empty (never 0)', () => {
    expect(csvField(digits('18446744073709551999'))).toBe('18446744073709551999');
    expect(() => digits('1e5')).toThrow();
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
  });
});

describe('CSV documents', () => {
  it('has a header row and CRLF line ends, and rejects rows of the wrong width', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, '-2']])).toBe("a,b\r\n1,x\r\n,'-2\r\n");
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/1 cells, the header 2/);
    expect(toCsv(['only'], [])).toBe('only\r\n');
  });

  it('reads back to the same fields with a standard RFC 4180 parser', () => {
    const rows = [
      ['odd id/with spaces & "<b>"', 'line\r\nbreak', '', '-5', 'a,b'],
      ['', '"', 'x', '0', 'ünïcødé/模型'],
    ];
    const csv = toCsv(['a', 'b', 'c', 'd', 'e'], rows);
    expect(parseCsv(csv)).toEqual([['a', 'b', 'c', 'd', 'e'], rows[0]!.map((c, i) => (i === 3 ? "'-5" : c)), rows[1]]);
  });
});

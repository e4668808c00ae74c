/**
 * CSV for the downloads: RFC 4180 (comma separated, CRLF line ends, a header row,
 * fields quoted when they contain `"`, `,`, CR or LF, quotes doubled), UTF-8
 * without a byte-order mark. Pure.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`,
 * TAB or CR as a formula. Text cells (model ids and other chain strings) that start
 * with one of those get a leading `'`, which spreadsheets show as text. Number
 * cells are written by the serialiser itself from numbers, so a negative number
 * (`-1234`, a weight that fell) stays a plain number. Empty cells mean "no value"
 * (e.g. usage unavailable), never 0.
 */

/** A cell: text (neutralised), a number, a decimal string kept exact, a boolean, or empty. */
export type CsvCell = string | number | boolean | null | { digits: string };

/** Characters that make a spreadsheet read a text cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** An exact decimal integer (e.g. a token count beyond 2^53) written as a number cell. */
export function digits(value: string): { digits: string } {
  if (!/^-?\d+$/.test(value)) throw new Error(`not a decimal integer: ${JSON.stringify(value)}`);
  return { digits: value };
}

/** An exact decimal (a price, a scale factor: `0.25`) written verbatim as a number cell. */
export function decimalNumber(value: string): { digits: string } {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  return { digits: value };
}

/** A finite number in plain decimal notation (never `1e-7`). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Exponent notation only appears for |n| < 1e-6 or ≥ 1e21; write it out.
  return Math.abs(n) >= 1 ? BigInt(Math.round(n)).toString() : n.toFixed(20).replace(/\.?0+$/, '');
}

/** Text that a spreadsheet would run as a formula gets a leading `'`. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One cell as CSV field text. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return numberText(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'object') return cell.digits;
  return quote(neutralise(cell));
}

/** A whole CSV document: the header row, then the rows, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const line = (cells: readonly CsvCell[]) => cells.map(csvField).join(',') + '\r\n';
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`a row has ${row.length} cells, the header ${header.length}`);
  }
  return header.map((h) => quote(h)).join(',') + '\r\n' + rows.map(line).join('');
}

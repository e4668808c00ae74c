/**
 * Deterministic randomness for the sample chain. Every value is derived from a
 * hash of (seed, what, where) instead of one sequential stream, so a datum of
 * epoch N never depends on how many other data were generated before it; that
 * is what keeps shorter and longer sample histories byte-identical on their
 * common prefix.
 */
import { createHash } from 'node:crypto';

const TWO_32 = 4294967296;

/** murmur3's 32-bit finaliser: cheap and well mixed, the core of every hash below. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised; labels and ids become numbers once. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Folds one integer (up to 2^53, heights and Unix ms included) into a running hash. */
export function foldInt(h: number, v: number): number {
  const lo = v >>> 0;
  const hi = Math.floor(v / TWO_32) >>> 0;
  h = mix32((h ^ lo) + 0x9e3779b9);
  return mix32((h ^ hi) + 0x7f4a7c15);
}

/** Hash of a tuple of labels and integers; the key of every seeded value. */
export function hash32(...parts: readonly (number | string)[]): number {
  let h = 0x6a09e667;
  for (const p of parts) h = foldInt(h, typeof p === 'number' ? p : hashString(p));
  return h;
}

/** A float in [0, 1) keyed by a tuple, for one-off draws. */
export function unit(...parts: readonly (number | string)[]): number {
  return hash32(...parts) / TWO_32;
}

/** Three-integer hash without allocation, for per-block hot loops. */
export function hash3(a: number, b: number, c: number): number {
  return foldInt(foldInt(foldInt(0x3c6ef372, a), b), c);
}

/** mulberry32 stream; used where a handful of sequential draws share one key. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32;
  };
}

/** A seeded stream keyed by a tuple (e.g. seed, "host", i). */
export function stream(...parts: readonly (number | string)[]): () => number {
  return mulberry32(hash32(...parts));
}

/** Integer in [lo, hi] from a [0,1) draw. */
export function intIn(u: number, lo: number, hi: number): number {
  return lo + Math.floor(u * (hi - lo + 1));
}

/** `n` pseudo-random bytes keyed by a label (SHA-256 in counter mode): keys, hashes, signatures. */
export function bytesOf(label: string, n: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < n; i++) {
    const d = createHash('sha256').update(`${label}#${i}`).digest();
    out.push(d);
    total += d.length;
  }
  return Buffer.concat(out, total).subarray(0, n);
}

/** Lowercase hex of `n` bytes from a fast non-crypto stream; for bulk per-host-per-epoch values. */
export function fastHex(key: number, n: number): string {
  const next = mulberry32(key);
  const buf = Buffer.allocUnsafe(Math.ceil(n / 4) * 4);
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32BE(Math.floor(next() * TWO_32), i);
  return buf.toString('hex', 0, n);
}

/** Uppercase hex of `n` keyed bytes, the CometBFT hash rendering. */
export function hexUpper(label: string, n = 32): string {
  return bytesOf(label, n).toString('hex').toUpperCase();
}

/** Base64 of `n` keyed bytes (validator keys, signatures, proofs). */
export function base64Of(label: string, n: number): string {
  return bytesOf(label, n).toString('base64');
}

/** SHA-256 of raw bytes. */
export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

// --- bech32 (BIP-173), so generated gonka1… addresses carry a valid checksum ---

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function bech32Polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ v) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ BECH32_GEN[i]!) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function toWords(data: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

/** bech32 encoding of raw bytes (20 bytes → account address, 32 → module/policy address). */
export function bech32(hrp: string, data: Uint8Array): string {
  const words = toWords(data);
  const mod = bech32Polymod([...hrpExpand(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum: number[] = [];
  for (let i = 0; i < 6; i++) checksum.push((mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...words, ...checksum].map((w) => BECH32_CHARSET[w]).join('')}`;
}

/**
 * A tiny static file server for `dist/`, on 127.0.0.1 with an ephemeral port,
 * behaving like a static host (GitHub Pages): directory → index.html, a missing
 * trailing slash → 301, unknown path → 404.html, ETag/Last-Modified with 304,
 * gzip for text types when the client accepts it (as GitHub Pages and CDNs do, so
 * what the browser downloads is what a visitor's would), and a max-age so only an
 * explicit revalidation (`cache: 'no-cache'`) sees changes.
 * Tests can replace or break one path (`override`) and read the request log.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types served gzip-encoded to a client that accepts it. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.csv']);

/** A replacement answer for one path: a body (served with its own ETag) or a bare status. */
export type Override = { status?: number; body?: string | Buffer; contentType?: string };

export interface LoggedRequest {
  /** Decoded path below the base path, e.g. `/v1/models/current.json`. */
  path: string;
  status: number;
  conditional: boolean;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` plus the base path, ending in `/`. */
  url: string;
  /** Replaces (or, with null, restores) what a path serves; `path` as in the log. */
  override(path: string, answer: Override | null): void;
  /** Every request so far. */
  readonly log: LoggedRequest[];
  close(): Promise<void>;
}

function etagOf(data: Buffer | string): string {
  return `"${createHash('sha1').update(data).digest('base64url')}"`;
}

/** Serves `root` at `basePath` (default `/`) until closed. */
export async function startStaticServer(root: string, basePath = '/'): Promise<StaticServer> {
  const rootDir = fs.realpathSync(root);
  const overrides = new Map<string, Override>();
  const log: LoggedRequest[] = [];

  const server = http.createServer((req, res) => {
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    let logged = '';
    const finish = (status: number, headers: http.OutgoingHttpHeaders, body?: Buffer | string) => {
      log.push({ path: logged, status, conditional });
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return finish(405, { allow: 'GET, HEAD' });

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith(basePath)) return finish(404, { 'content-type': TYPES['.txt'] }, 'outside the base path');
    let rel: string;
    try {
      rel = '/' + url.pathname.slice(basePath.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      return finish(400, { 'content-type': TYPES['.txt'] }, 'bad percent-encoding');
    }
    logged = rel;
    if (rel.includes('\0')) return finish(400, { 'content-type': TYPES['.txt'] }, 'bad path');

    const override = overrides.get(rel);
    if (override) {
      const status = override.status ?? 200;
      if (override.body === undefined) return finish(status, { 'content-type': TYPES['.txt'] }, `status ${status}`);
      const etag = etagOf(override.body);
      const headers = {
        'content-type': override.contentType ?? TYPES[path.extname(rel)] ?? 'application/octet-stream',
        etag,
        'cache-control': 'max-age=600',
      };
      if (status === 200 && req.headers['if-none-match'] === etag) return finish(304, { etag, 'cache-control': 'max-age=600' });
      return finish(status, headers, override.body);
    }

    // Resolve inside root only: `..` segments and symlinks out of dist/ are refused.
    let file = path.resolve(rootDir, '.' + path.posix.normalize(rel));
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return finish(403, { 'content-type': TYPES['.txt'] }, 'forbidden');
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!url.pathname.endsWith('/')) return finish(301, { location: url.pathname + '/' + url.search });
      file = path.join(file, 'index.html');
      stat = fs.statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile() || !fs.realpathSync(file).startsWith(rootDir + path.sep)) {
      const notFound = path.join(rootDir, '404.html');
      const body = fs.existsSync(notFound) ? fs.readFileSync(notFound) : 'not found';
      return finish(404, { 'content-type': TYPES['.html'] }, body);
    }
    const raw = fs.readFileSync(file);
    const gzip = COMPRESSIBLE.has(path.extname(file)) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    // Each encoding is its own representation, with its own (strong) ETag.
    const etag = gzip ? etagOf(raw).replace(/"$/, '-gz"') : etagOf(raw);
    const lastModified = stat.mtime.toUTCString();
    const headers: http.OutgoingHttpHeaders = {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      etag,
      'last-modified': lastModified,
      'cache-control': 'max-age=600',
      ...(COMPRESSIBLE.has(path.extname(file)) ? { vary: 'accept-encoding' } : {}),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    };
    if (req.headers['if-none-match'] === etag) return finish(304, { etag, 'cache-control': 'max-age=600' });
    return finish(200, headers, gzip ? zlib.gzipSync(raw, { level: 6 }) : raw);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    override(p, answer) {
      if (answer) overrides.set(p, answer);
      else overrides.delete(p);
    },
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

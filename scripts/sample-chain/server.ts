/**
 * HTTP front of the fake node: node:http on loopback, keep-alive friendly,
 * every request recorded (tests assert on what the client actually sent).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleChain } from './chain.ts';

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without `?` ('' if none). */
  query: string;
  heightHeader?: string;
  status: number;
}

/** A running fake node. */
export interface FakeNode {
  url: string;
  requests: RecordedRequest[];
  resetRequests(): void;
  close(): Promise<void>;
}

/** Starts serving `chain` on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function startFakeNode(chain: SampleChain, opts: { port?: number; host?: string } = {}): Promise<FakeNode> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const header = req.headers['x-cosmos-block-height'];
    const heightHeader = Array.isArray(header) ? header[0] : header;
    let answer;
    try {
      answer = chain.handle({ method: req.method ?? 'GET', url, ...(heightHeader !== undefined ? { heightHeader } : {}) });
    } catch (err) {
      answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: `sample chain failure: ${String(err)}` };
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      status: answer.status,
    };
    if (heightHeader !== undefined) rec.heightHeader = heightHeader;
    requests.push(rec);
    const body = Buffer.from(answer.body, 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    // Drain any request body so keep-alive connections stay usable.
    req.resume();
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${hostPart}:${addr.port}`,
    requests,
    resetRequests: () => void requests.splice(0, requests.length),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * HTTP front of the fake node: node:http on loopback, keep-alive friendly,
 * every request recorded (tests assert on what the client actually sent).
 * Optional latency and bandwidth shape answers like a distant node (benchmark);
 * switchable faults make it misbehave like a bad one (tests).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SampleChain } from './chain.ts';
import { FaultPlan, HTML_ERROR_PAGE, type Fault, type FaultRule } from './faults.ts';

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without `?` ('' if none). */
  query: string;
  heightHeader?: string;
  status: number;
  /** The fault injected, if any. */
  fault?: Fault['kind'];
}

/** A running fake node. */
export interface FakeNode {
  url: string;
  requests: RecordedRequest[];
  resetRequests(): void;
  /** Replaces the fault rules (an empty list heals the node). */
  setFaults(rules: FaultRule[]): void;
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeNodeOptions {
  port?: number;
  host?: string;
  /** Added before every answer. */
  latencyMs?: number;
  /** Answer bodies are sent at this rate (unlimited when unset). */
  bytesPerSecond?: number;
  faults?: FaultRule[];
  /** Whether the dapi's stats storage is enabled (default true); when false `/v1/stats/models` answers 500 as on default nodes. */
  statsStorage?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sendPaced(res: ServerResponse, body: Buffer, bytesPerSecond: number | undefined): Promise<void> {
  if (!bytesPerSecond) return void res.end(body);
  const chunk = Math.max(1024, Math.floor(bytesPerSecond / 20)); // 50 ms slices
  for (let i = 0; i < body.length; i += chunk) {
    res.write(body.subarray(i, i + chunk));
    if (i + chunk < body.length) await sleep((chunk / bytesPerSecond) * 1000);
  }
  res.end();
}

/** Starts serving `chain` on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function startFakeNode(chain: SampleChain, opts: FakeNodeOptions = {}): Promise<FakeNode> {
  const requests: RecordedRequest[] = [];
  const plan = new FaultPlan();
  plan.set(opts.faults ?? []);
  const sockets = new Set<Socket>();

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    req.resume(); // drain any request body so keep-alive connections stay usable
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const header = req.headers['x-cosmos-block-height'];
    const heightHeader = Array.isArray(header) ? header[0] : header;
    let answer;
    try {
      answer = chain.handle({
        method: req.method ?? 'GET',
        url,
        ...(heightHeader !== undefined ? { heightHeader } : {}),
        ...(opts.statsStorage === false ? { statsStorage: false } : {}),
      });
    } catch (err) {
      answer = { status: 500, headers: { 'content-type': 'text/plain' }, body: `sample chain failure: ${String(err)}` };
    }
    const fault = plan.take(path);
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, query: q < 0 ? '' : url.slice(q + 1), status: answer.status };
    if (heightHeader !== undefined) rec.heightHeader = heightHeader;
    if (fault) rec.fault = fault.kind;
    requests.push(rec);

    let status = answer.status;
    let headers: Record<string, string> = answer.headers;
    let body = answer.body;
    if (opts.latencyMs) await sleep(opts.latencyMs);
    switch (fault?.kind) {
      case undefined:
        break;
      case 'hang':
        return;
      case 'reset':
        return void req.socket.destroy();
      case 'delay':
        await sleep(fault.ms);
        break;
      case 'status':
        status = fault.status;
        headers = { 'content-type': 'application/json', ...fault.headers };
        body = fault.body ?? JSON.stringify({ error: `injected ${fault.status}` });
        break;
      case 'truncate':
        body = body.slice(0, Math.floor(body.length / 2));
        break;
      case 'html':
        status = 200;
        headers = { 'content-type': 'text/html' };
        body = HTML_ERROR_PAGE;
        break;
      case 'mutate': {
        try {
          const json = JSON.parse(body);
          const out = fault.edit(json);
          body = JSON.stringify(out === undefined ? json : out);
        } catch (err) {
          status = 500;
          body = JSON.stringify({ error: `fault edit failed: ${String(err)}` });
        }
        break;
      }
      case 'pad':
        body = body + ' '.repeat(Math.max(0, fault.bytes - Buffer.byteLength(body)));
        break;
      case 'reset-mid-body': {
        const bytes = Buffer.from(body, 'utf8');
        res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        await sleep(10);
        return void req.socket.destroy();
      }
    }
    rec.status = status;
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
    if (req.method === 'HEAD') return void res.end();
    await sendPaced(res, bytes, opts.bytesPerSecond);
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const host = opts.host ?? '127.0.0.1';
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      for (const s of sockets) s.destroy();
    });

  await listen(opts.port ?? 0);
  const addr = server.address() as AddressInfo;
  const port = addr.port;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let listening = true;
  return {
    url: `http://${hostPart}:${port}`,
    requests,
    resetRequests: () => void requests.splice(0, requests.length),
    setFaults: (rules) => plan.set(rules),
    down: async () => {
      if (listening) await stop();
      listening = false;
    },
    up: async () => {
      if (!listening) await listen(port);
      listening = true;
    },
    close: async () => {
      if (listening) await stop();
      listening = false;
    },
  };
}

/** A loopback HTTP server whose answers a test scripts per request, counting what it receives. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

/** What to answer: a status and body, a delay, or 'hang' / 'reset' to misbehave. */
export type Answer =
  | { status: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | 'hang'
  | 'reset';

export interface ScriptedServer {
  url: string;
  requests: ScriptedRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 answering each request with `handler`. */
export async function startScriptedServer(handler: (req: ScriptedRequest, n: number) => Answer): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const r = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(r);
    const answer = handler(r, requests.length);
    if (answer === 'hang') return;
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    const send = () => {
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A base URL on loopback where nothing listens (connection refused): a port just freed, so start the servers a test needs first, or one may be given it. */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** A loopback proxy to `target` that lets `override` answer some requests itself (null: forward). */
export async function startProxy(target: string, override: (req: ScriptedRequest) => Answer | null): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const r = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(r);
    const answer = override(r);
    if (answer === 'hang') return;
    if (answer === 'reset') return void req.socket.destroy();
    if (answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      return void res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    }
    const headers: Record<string, string> = {};
    const h = req.headers['x-cosmos-block-height'];
    if (typeof h === 'string') headers['x-cosmos-block-height'] = h;
    const upstream = await fetch(target + (req.url ?? '/'), { headers });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

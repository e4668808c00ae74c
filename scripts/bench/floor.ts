/**
 * The download floor: the same requests the cold data step made, from the same
 * fake node, with the same concurrency over keep-alive connections, bodies read
 * to the end and thrown away. No parsing, validation, caching or writing: what
 * is left is the network and the node, the least any data step can take.
 */
import http from 'node:http';

/** One request to replay: path, raw query and the height header, as the node logged them. */
export interface ReplayRequest {
  path: string;
  query: string;
  heightHeader?: string;
}

/** What the floor took. */
export interface FloorResult {
  elapsedMs: number;
  requests: number;
  bodyBytes: number;
  /** Answers per HTTP status (the cold run's pruned epoch answers an error, replayed too). */
  statuses: Record<string, number>;
}

function getOnce(agent: http.Agent, base: URL, r: ReplayRequest): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (r.heightHeader !== undefined) headers['x-cosmos-block-height'] = r.heightHeader;
    const req = http.get(
      { host: base.hostname, port: base.port, path: r.query ? `${r.path}?${r.query}` : r.path, agent, headers },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

/** Downloads every request in order, `concurrency` at a time, and times the whole. */
export async function downloadFloor(baseUrl: string, requests: ReplayRequest[], concurrency: number): Promise<FloorResult> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: Record<string, number> = {};
  let bodyBytes = 0;
  let next = 0;
  const started = performance.now();
  // A fixed pool of workers pulling from one queue: exactly `concurrency` in flight.
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!;
      const got = await getOnce(agent, base, r);
      bodyBytes += got.bytes;
      statuses[got.status] = (statuses[got.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { elapsedMs, requests: requests.length, bodyBytes, statuses };
}

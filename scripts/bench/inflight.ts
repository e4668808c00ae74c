/**
 * Counts HTTP requests in flight over a step (from `http.request` to the end
 * of the response body), to show how fully a run uses its concurrency: the
 * floor keeps every slot busy, so time with free slots is time the data step
 * leaves on the table. Wraps `http.request` on the shared module object,
 * which node-fetch looks up on every call.
 */
import http from 'node:http';

/** Time-weighted use of the request slots. */
export interface InflightFigures {
  /** Mean requests in flight over the measured time. */
  mean: number;
  /** Time with fewer than `slots` requests in flight (ms). */
  belowFullMs: number;
  /** Time with nothing in flight (ms). */
  idleMs: number;
  totalMs: number;
}

/** Starts counting; the returned function stops and reports. */
export function trackInflight(slots: number): () => InflightFigures {
  const original = http.request;
  let inflight = 0;
  const started = performance.now();
  let last = started;
  let weighted = 0;
  let belowFull = 0;
  let idle = 0;
  const account = () => {
    const now = performance.now();
    const dt = now - last;
    weighted += inflight * dt;
    if (inflight < slots) belowFull += dt;
    if (inflight === 0) idle += dt;
    last = now;
  };
  const tracked = function (this: unknown, ...args: unknown[]) {
    account();
    inflight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      account();
      inflight--;
    };
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    req.on('response', (res) => {
      res.on('end', finish);
      res.on('close', finish);
    });
    req.on('error', finish);
    req.on('close', () => setImmediate(finish)); // after 'end' when there is a response
    return req;
  };
  (http as { request: unknown }).request = tracked;
  return () => {
    account();
    (http as { request: unknown }).request = original;
    const totalMs = last - started;
    return { mean: totalMs ? weighted / totalMs : 0, belowFullMs: belowFull, idleMs: idle, totalMs };
  };
}

/**
 * Child processes of the benchmark. Every measured step runs in its own process
 * so its peak RSS is its own: our TypeScript steps run on the project's Node with
 * the tsx loader and report `process.resourceUsage().maxRSS` themselves; the astro
 * CLI gets a preload that does the same at exit; native binaries (Pagefind) are
 * watched through /proc (VmHWM).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './options.ts';

/** The project's Node 22 (system node may be older). */
export const NODE = fs.realpathSync(path.join(ROOT, 'node_modules/.bin/node'));
const TSX_LOADER = path.join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const RSS_PRELOAD = path.join(import.meta.dirname, 'rss-at-exit.mjs');

/** Environment without vitest's and the shell's NODE_ENV: a build inheriting NODE_ENV=test bundles React's development build. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key === 'NODE_OPTIONS' || key.startsWith('VITEST')) delete env[key];
  return { ...env, ...extra, ASTRO_TELEMETRY_DISABLED: '1' };
}

/** Starts one of our TypeScript entry points as a child with an IPC channel. */
export function forkTs(script: string, args: string[], extraNodeFlags: string[] = []): ChildProcess {
  return fork(script, args, {
    cwd: ROOT,
    execPath: NODE,
    execArgv: ['--import', TSX_LOADER, ...extraNodeFlags],
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

/** Collects a child's stdout and stderr (the tail is what a failure message needs). */
export function collectOutput(child: ChildProcess): () => string {
  let out = '';
  const add = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

/** Runs a TypeScript step (request in a JSON file named by argv[2]) and returns the one `{kind: 'result'}` message it sends. */
export async function runTsStep<T>(script: string, request: unknown, extraNodeFlags: string[] = []): Promise<T> {
  // The request goes through a file: a floor's request list is far beyond the argv limit.
  const requestFile = path.join(os.tmpdir(), `gonka-bench-step-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(requestFile, JSON.stringify(request));
  const child = forkTs(script, [requestFile], extraNodeFlags);
  const output = collectOutput(child);
  let result: T | undefined;
  child.on('message', (m: { kind?: string; value?: T }) => {
    if (m?.kind === 'result') result = m.value;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  }).finally(() => fs.rmSync(requestFile, { force: true }));
  if (code !== 0 || result === undefined) {
    throw new Error(`${path.basename(script)} ${JSON.stringify(request).slice(0, 200)} failed (exit ${code}):\n${output().slice(-6000)}`);
  }
  return result;
}

/** A finished external command: wall time, CPU time and peak RSS of its main process, exit code and output. */
export interface MeasuredCommand {
  wallMs: number;
  /** User + system CPU time: less sensitive than wall time to other work on a shared machine. */
  cpuMs: number;
  peakRssBytes: number;
  status: number | null;
  output: string;
}

/** Peak RSS so far (VmHWM) and CPU time of a live process, or zeros once it is gone. */
function procFigures(pid: number): { hwm: number; cpuMs: number } {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return { hwm: m ? Number(m[1]) * 1024 : 0, cpuMs: (ticks * 1000) / 100 }; // USER_HZ is 100 on Linux
  } catch {
    return { hwm: 0, cpuMs: 0 };
  }
}

/**
 * Runs a command and measures it. A Node command (`node: true`) is given a
 * preload that writes its own maxRSS at exit (exact); any other command is
 * polled every 20 ms (VmHWM only grows, so the last poll is within 20 ms of the end;
 * CPU time likewise).
 */
export async function runMeasured(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; node?: boolean }): Promise<MeasuredCommand> {
  const rssFile = path.join(os.tmpdir(), `gonka-bench-rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const env = opts.node ? { ...opts.env, GONKA_BENCH_RSS_FILE: rssFile } : opts.env;
  const started = performance.now();
  // A Node script runs as `node --import <preload> script …`, anything else as is.
  const child = spawn(opts.node ? NODE : command, opts.node ? ['--import', RSS_PRELOAD, command, ...args] : args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  let polled = { hwm: 0, cpuMs: 0 };
  const poll = () => {
    const now = procFigures(child.pid!);
    polled = { hwm: Math.max(polled.hwm, now.hwm), cpuMs: Math.max(polled.cpuMs, now.cpuMs) };
  };
  const timer = opts.node ? null : setInterval(poll, 20);
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  const wallMs = performance.now() - started;
  if (timer) clearInterval(timer);
  let peakRssBytes = polled.hwm;
  let cpuMs = polled.cpuMs;
  if (opts.node) {
    try {
      ({ maxRssBytes: peakRssBytes, cpuMs } = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssBytes: number; cpuMs: number });
    } catch {
      peakRssBytes = cpuMs = 0; // killed before its exit handler ran
    } finally {
      fs.rmSync(rssFile, { force: true });
    }
  }
  return { wallMs, cpuMs, peakRssBytes, status, output: output() };
}

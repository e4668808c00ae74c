/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the sampled
 * time went, by code area (our folders, each npm package, Node internals,
 * GC, idle) and by function, as self time. Used on the cold data step to say
 * what keeps it above the download floor.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or area, in ms and as a share of the profile. */
export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time not idle: the process was running JavaScript, GC or native code. */
  busyMs: number;
  areas: ProfileLine[];
  functions: ProfileLine[];
}

/** The code area a script URL belongs to: `src/<dir>`, `npm:<package>`, `node:internal`, or a special V8 frame. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  const src = /\/(src|scripts)\/([^/]+)\//.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** Reads a profile and sums self time per area and per function (top `top` of each). */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    total += ms;
    if (f.functionName === '(idle)') idle += ms;
    const area = areaOf(f.url, f.functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src|scripts)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: total ? ms / total : 0 }));
  return { totalMs: total, busyMs: total - idle, areas: lines(areas), functions: lines(functions) };
}

/** The run summary and the progress line, as text for the console and for CI job summaries. */
import type { RunSummary } from './run.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** One progress line: epochs done/total, cache hits, requests, elapsed. */
export function progressLine(p: { done: number; total: number; requests: number; cacheHits: number }, elapsedMs: number): string {
  return `epochs ${p.done}/${p.total} · cache hits ${n(p.cacheHits)} · requests ${n(p.requests)} · ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** The end-of-run summary with the per-epoch weight checks. */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const src = s.source === 'sample' ? 'SAMPLE DATA (bundled sample chain, not the real network)' : s.source.join(', ');
  lines.push(`gonka-models data step — source: ${src}`);
  if (s.stale) {
    lines.push(`STALE: no node answered; published the data fetched at ${s.stale.dataFetchedAt} from the cache (GONKA_ALLOW_STALE=1).`);
    lines.push(s.stale.reason);
  }
  lines.push(
    `current epoch ${s.currentEpoch}; ${s.available} epochs available (${s.fromCache} from cache, ${s.computed} computed), ${s.unavailable.length} unavailable`,
  );
  lines.push(`requests ${n(s.requests)}, cache hits ${n(s.cacheHits)}, ${(s.elapsedMs / 1000).toFixed(1)} s`);
  const ups = Object.entries(s.upgrades).map(([name, h]) => `${name} ${h === null ? 'unknown' : h === 0 ? 'not applied' : `at ${n(h)}`}`);
  if (!s.stale) lines.push(`upgrades: ${ups.join(', ')}`);
  const u = s.usageSources;
  if (!s.stale) lines.push(`usage: ${u.dapi_stats} epochs from node stats, ${u.chain_stats} from chain stats, ${u.none} unavailable`);
  const failed = Object.entries(s.nodeFailures);
  if (failed.length) lines.push(`node failures: ${failed.map(([node, c]) => `${node} ×${c}`).join(', ')}`);
  for (const u of s.unavailable) lines.push(`  epoch ${u.epochId} unavailable: ${u.reason}`);

  const bad = s.checks.filter((c) => !c.balanced);
  const differs = s.checks.filter((c) => c.hostWeight !== c.pocWeight);
  lines.push(
    `checks: Σ model weight + unassigned = Σ poc_weight in ${s.checks.length - bad.length}/${s.checks.length} epochs` +
      `; Σ host weight ≠ Σ poc_weight in ${differs.length} (expected after collateral rules and per-model scaling)`,
  );
  const latest = s.checks.at(-1);
  if (latest) {
    lines.push(
      `  epoch ${latest.epochId}: models ${n(latest.modelWeight)} + unassigned ${n(latest.unassignedWeight)} = poc ${n(latest.pocWeight)}; host weight ${n(latest.hostWeight)}`,
    );
  }
  for (const c of bad) lines.push(`  MISMATCH epoch ${c.epochId}: models ${n(c.modelWeight)} + unassigned ${n(c.unassignedWeight)} ≠ poc ${n(c.pocWeight)}`);
  lines.push(`data: ${s.write.written.length} written, ${s.write.unchanged} unchanged, ${s.write.removed.length} removed`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/**
 * Renders a benchmark's figures as the Markdown of `bench/results.md`: the
 * machine and parameters, one table with every figure, the targets, and the
 * per-run and per-file details behind them.
 */
import { CHANGE_KINDS } from './depth.ts';
import { REQUEST_KINDS, type KindCounts } from './request-kinds.ts';
import { measured, type BenchResults, type Measured } from './results.ts';

const MB = 1024 * 1024;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b: number) => `${(b / MB).toFixed(0)} MB`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
/** Bytes in the unit that keeps a few significant digits. */
const bytes = (b: number) => (b >= 10 * MB ? mb(b) : b >= MB ? `${(b / MB).toFixed(1)} MB` : kb(b));
const runsOf = (m: Measured, f: (x: number) => string) => m.runs.map(f).join(', ');
const kinds = (c: KindCounts) =>
  REQUEST_KINDS.filter((k) => c[k] > 0 || k !== 'other')
    .map((k) => `${k} ${c[k]}`)
    .join(', ');

/** The whole results file. */
export function renderResults(r: BenchResults): string {
  const p = r.params;
  const m = r.meta;
  const full = r.builds.at(-1)!;
  const rows: [string, string, string][] = [];
  const row = (figure: string, value: string, note = '') => rows.push([figure, value, note]);

  row('Cold data step (wall, median)', s(r.cold.wallMs.median), `runs: ${runsOf(r.cold.wallMs, s)}`);
  row('Cold data step CPU (median)', s(r.cold.cpuMs.median), `fake node CPU per run: ${s(r.cold.nodeCpuMs.median)}`);
  const pk = r.cold.memoryPeaks;
  row(
    'Cold data step peak RSS (median)',
    mb(r.cold.rssBytes.median),
    `runs: ${runsOf(r.cold.rssBytes, mb)}; sampled peaks of the highest run: heap used ${bytes(pk.heapUsed ?? 0)}, heap total ${bytes(pk.heapTotal ?? 0)}, external ${bytes(pk.external ?? 0)}`,
  );
  const inf = r.cold.inflight;
  const avg = (f: (x: (typeof inf)[number]) => number) => inf.reduce((a, x) => a + f(x), 0) / Math.max(1, inf.length);
  row(
    'Cold requests in flight (mean)',
    `${avg((x) => x.mean).toFixed(2)} of ${p.concurrency}`,
    `fewer than ${p.concurrency} in flight ${((100 * avg((x) => x.belowFullMs)) / Math.max(1, avg((x) => x.totalMs))).toFixed(0)}% of the time, none ${((100 * avg((x) => x.idleMs)) / Math.max(1, avg((x) => x.totalMs))).toFixed(0)}% (the floor keeps all ${p.concurrency} busy)`,
  );
  row('Cold requests', String(r.cold.totalRequests), kinds(r.cold.requests) + (r.cold.sameRequestsEveryRun ? '' : ' (differed between runs)'));
  row('Download floor (wall, median)', s(r.floor.wallMs.median), `runs: ${runsOf(r.floor.wallMs, s)}; ${r.floor.requests} requests, ${bytes(r.floor.bodyBytes)} of bodies`);
  row('Cold / floor', `${r.floor.ratio.toFixed(2)}×`, 'target ≤ 1.5×');
  row('Warm rebuild, 1 new epoch (wall, median)', s(r.warm.wallMs.median), `runs: ${runsOf(r.warm.wallMs, s)}`);
  row('Warm rebuild peak RSS (median)', mb(r.warm.rssBytes.median), `runs: ${runsOf(r.warm.rssBytes, mb)}`);
  row('Warm requests', String(r.warm.totalRequests), `${kinds(r.warm.requests)}; minimum: ${kinds(r.warm.minimal)}; for cached finished epochs: ${r.warm.finishedEpochRequests}`);
  for (const b of r.builds) {
    row(
      `astro build, ${b.epochs} epochs (wall, median)`,
      s(b.wallMs.median),
      `${b.pages} pages, ${b.msPerPage.toFixed(1)} ms/page, ${b.pagesPerSecond.toFixed(1)} pages/s; CPU ${s(b.cpuMs.median)}; peak RSS ${mb(b.rssBytes.median)}; runs: ${runsOf(b.wallMs, s)}`,
    );
  }
  if (r.marginalMsPerPage.length) {
    row('astro build growth', r.marginalMsPerPage.map((g) => `${g.wallMs.toFixed(1)}`).join(' → ') + ' ms per added page', r.marginalMsPerPage.map((g) => `${g.from}→${g.to} epochs: ${g.wallMs.toFixed(1)} ms wall, ${g.cpuMs.toFixed(1)} ms CPU per added page`).join('; '));
  }
  row('Pagefind (wall, median)', s(r.pagefind.wallMs.median), `CPU ${s(r.pagefind.cpuMs.median)}; peak RSS ${mb(r.pagefind.rssBytes.median)}; runs: ${runsOf(r.pagefind.wallMs, s)}`);
  row('dist/ size', bytes(r.dist.bytes), `${r.dist.files} files, ${full.epochs} epochs`);
  for (const [label, w] of [
    ['`/`', r.wire.home],
    [`\`${r.wire.epoch.page}\``, r.wire.epoch],
  ] as const) {
    row(`${label} HTML (gzip)`, kb(w.html.gzip), `${kb(w.html.raw)} raw${w === r.wire.home ? `; ${r.wire.homeTableRows} of ${r.wire.homeModels} model rows in the HTML` : ''}`);
    row(`${label} CSS (gzip)`, kb(w.cssGzip), `${w.css.length} file(s)`);
    row(`${label} JS (gzip)`, kb(w.jsGzip), `${w.js.length} file(s); ${kb(w.jsGzip9)} at gzip -9`);
  }
  const ne = r.newEpoch;
  row(
    'Files changed by one new epoch',
    String(CHANGE_KINDS.reduce((a, k) => a + ne.kinds[k].files, 0)),
    `${ne.filesBefore} files before, ${ne.filesAfter} after; ` +
      CHANGE_KINDS.filter((k) => ne.kinds[k].files > 0 || k.startsWith('finished'))
        .map((k) => `${k}: ${ne.kinds[k].files} (${bytes(ne.kinds[k].bytes)})`)
        .join(', ') +
      (ne.finishedChanged.length ? `; changed finished files: ${ne.finishedChanged.join(', ')}` : ''),
  );
  for (const pg of r.pages) row(`${pg.label} \`${pg.page}\``, kb(pg.htmlGzip), `${kb(pg.htmlRaw)} raw; ${pg.desktopPx} px tall at 1280 px wide, ${pg.phonePx} px at 390 px`);
  const pr = r.paint;
  const med = (runs: typeof pr.runs, f: (x: (typeof pr.runs)[number]) => number) => measured(runs.map(f)).median;
  row(
    'First paint of `/`, top model row (median)',
    `${med(pr.runs, (x) => x.topRowMs).toFixed(0)} ms, ${med(pr.runs, (x) => x.ratio).toFixed(2)}× the HTML`,
    `${pr.link.latencyMs} ms round trip, ${pr.link.downBitsPerSecond / 1e6} Mbit/s, CPU ${pr.link.cpuSlowdown}× slower, gzip; HTML in at ${med(pr.runs, (x) => x.htmlEndMs).toFixed(0)} ms, first contentful paint ${med(pr.runs, (x) => x.fcpMs).toFixed(0)} ms; runs: ${pr.runs.map((x) => `${x.topRowMs.toFixed(0)} ms`).join(', ')}`,
  );
  row(
    'Floor: a one-row page, same link and CPU (median)',
    `${med(pr.floor, (x) => x.topRowMs).toFixed(0)} ms, ${med(pr.floor, (x) => x.ratio).toFixed(2)}× its HTML`,
    `no stylesheet or script, one table row; HTML in at ${med(pr.floor, (x) => x.htmlEndMs).toFixed(0)} ms; the row shows ${med(pr.floor, (x) => x.topRowMs - x.htmlEndMs).toFixed(0)} ms after its HTML, \`/\`'s ${med(pr.runs, (x) => x.topRowMs - x.htmlEndMs).toFixed(0)} ms after its own; runs: ${pr.floor.map((x) => `${x.topRowMs.toFixed(0)} ms`).join(', ')}`,
  );
  const c = pr.cost;
  row(
    'Renderer work for `/` (slowed CPU)',
    `${(c.styleMs + c.layoutMs).toFixed(0)} ms style and layout`,
    `style ${c.styleMs.toFixed(0)} ms, layout ${c.layoutMs.toFixed(0)} ms, script ${c.scriptMs.toFixed(0)} ms, all tasks ${c.taskMs.toFixed(0)} ms over the whole load; ${c.domNodes} elements (${c.svgElements} inside SVGs); HTML ${kb(c.htmlBytesGzip)} on the wire, ${kb(c.cssBytesGzip)} of separate CSS, ${c.blockingRequests} render-blocking requests`,
  );
  const hyd = r.browser.hydration;
  row('Layout shift at hydration (CLS)', Math.max(...hyd.map((h) => h.cls)).toFixed(4), hyd.map((h) => `${h.page} ${h.viewport}: ${h.cls.toFixed(4)}`).join('; '));
  const rs = r.browser.refreshShifts;
  row('Layout shift during refreshes (CLS)', Math.max(...rs.map((h) => h.cls)).toFixed(4), rs.map((h) => `${h.viewport}: ${h.cls.toFixed(4)} in ${h.shifts} shifts`).join('; '));
  row(
    'Refreshes of unchanged current.json',
    r.browser.refresh.refreshes.map((x) => String(x.status)).join(', '),
    `bodies: ${r.browser.refresh.refreshes.map((x) => kb(x.bodyBytes)).join(', ')} (file ${kb(r.browser.refresh.fileBytes)}); the first fetch has nothing to revalidate`,
  );

  const esc = (x: string) => x.replace(/\|/g, '\\|');
  const table = ['| figure | value | detail |', '| --- | --- | --- |', ...rows.map(([a, b, c]) => `| ${esc(a)} | ${esc(b)} | ${esc(c)} |`)].join('\n');
  const targets = [
    '| target | goal | this run | met |',
    '| --- | --- | --- | --- |',
    ...r.targets.map((t) => `| ${esc(t.name)} | ${esc(t.target)} | ${esc(t.value)} | ${t.met ? 'yes' : '**no**'} |`),
  ].join('\n');

  const routeRows = r.builds.flatMap((b) =>
    b.routes.map((c) => `| ${b.epochs} | ${esc(c.kind)} | ${c.count} | ${s(c.ms)} | ${(c.ms / c.count).toFixed(1)} ms |`),
  );
  const jsFiles = r.wire.home.js.map((f) => `| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.gzip)} |`).join('\n');
  const shiftLines = [...hyd, ...rs]
    .filter((h) => h.shifts > 0)
    .flatMap((h) => [`- ${h.page} ${h.viewport}:`, ...h.entries.map((e) => `  - at ${e.at} ms, ${e.value.toFixed(5)}: ${e.sources.join('; ')}`)]);

  const prof = r.cold.profile;
  const profileSection = prof
    ? `## Profile of a cold data step

One extra cold run under \`node --cpu-prof\` (${s(prof.wallMs)} wall; sampled ${s(prof.totalMs)}, of which not idle ${s(prof.busyMs)}). Self time by area:

| area | self time | share |
| --- | --- | --- |
${prof.areas.map((a) => `| ${esc(a.name)} | ${s(a.ms)} | ${(a.share * 100).toFixed(1)}% |`).join('\n')}

Top functions by self time:

| function | self time | share |
| --- | --- | --- |
${prof.functions.map((a) => `| \`${esc(a.name)}\` | ${s(a.ms)} | ${(a.share * 100).toFixed(1)}% |`).join('\n')}

`
    : '';

  return `# Benchmark results

\`${m.command}\`, ${m.date}, commit ${m.commit}${m.dirtyFiles ? ` (+${m.dirtyFiles} files changed in the checkout)` : ''}; the whole bench took ${(m.totalMs / 60000).toFixed(1)} min.

Machine: ${m.cpus} cores (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GB memory, ${m.platform}, Node ${m.node}.
Load average (1 min) ${m.loadStart.toFixed(2)} at start, ${m.loadEnd.toFixed(2)} at end: the machine is shared, other work (tests, builds) may have been running, so wall times are noisy; CPU times are given beside them.
Each step ran in its own process (peak RSS is that process's); the fake node ran in another process, on the same cores.

| parameter | value |
| --- | --- |
| epochs (current epoch) | ${p.epochs} |
| hosts (at saturation / in the current epoch) | ${p.hosts} / ${p.hostsInCurrentEpoch} |
| models asked / in the current epoch | ${p.modelsAsked} / ${p.modelsInChain}${p.modelsInChain < p.modelsAsked ? ' (the sample chain’s registry is scripted)' : ''} |
| current participants body | ${kb(p.participantsBodyBytes)} |
| latency per request | ${p.latencyMs} ms |
| bandwidth per answer | ${p.bandwidth ? `${p.bandwidth} B/s` : 'unlimited'} |
| concurrency (GONKA_CONCURRENCY, floor) | ${p.concurrency} |
| runs (data step, floor, warm) / (astro build, Pagefind) | ${p.runs} / ${p.buildRuns} |
| gzip level | ${p.gzipLevel} |
| seed | ${p.seed} |

## Figures

${table}

## Targets

${targets}

## Details

Where astro's route generation goes (from its per-route log of the last run; the rest of a build is startup, bundling and writing: ${r.builds.map((b) => `${b.epochs} epochs: generating ${b.generateMs === null ? '?' : s(b.generateMs)} of ${s(b.wallMs.runs.at(-1)!)}`).join('; ')}):

| epochs | route kind | routes | total | each |
| --- | --- | --- | --- | --- |
${routeRows.join('\n')}

JS loaded by \`/\` (static imports followed; gzip level ${p.gzipLevel}):

| file | raw | gzip |
| --- | --- | --- |
${jsFiles}

${shiftLines.length ? `Layout shifts (element, x,y w×h before -> after):\n\n${shiftLines.join('\n')}\n` : 'No layout shift recorded.\n'}
${profileSection}`;
}

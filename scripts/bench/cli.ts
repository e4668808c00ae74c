/**
 * `npm run bench -- [options]` (see options.ts or `--help`): runs the
 * benchmark, writes the results table (Markdown, plus the figures as JSON
 * beside it) and prints it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runBench } from './harness.ts';
import { parseBenchArgs } from './options.ts';
import { renderResults } from './report.ts';

async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (!options) return 0;
  const o = options;
  console.error(
    `bench: ${o.epochs} epochs × ${o.hosts} hosts, latency ${o.latencyMs} ms, bandwidth ${o.bandwidth || 'unlimited'}, ` +
      `${o.runs} run(s), builds at ${o.sizes.join('/')} epochs × ${o.buildRuns}; work folder ${path.relative(process.cwd(), o.workDir) || o.workDir}`,
  );
  const started = Date.now();
  const results = await runBench(o, (line) => console.error(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`));
  const md = renderResults(results);
  fs.mkdirSync(path.dirname(o.resultsFile), { recursive: true });
  fs.writeFileSync(o.resultsFile, md);
  fs.writeFileSync(o.resultsFile.replace(/\.md$/, '') + '.json', JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(md);
  console.error(`\nwrote ${path.relative(process.cwd(), o.resultsFile)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);

// Preload for measured Node commands (astro build): writes the process's own peak
// RSS and CPU time to GONKA_BENCH_RSS_FILE when it exits, however it exits.
import fs from 'node:fs';

const file = process.env.GONKA_BENCH_RSS_FILE;
if (file) {
  // Children (if any) must not overwrite the measured process's figures.
  delete process.env.GONKA_BENCH_RSS_FILE;
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  });
}

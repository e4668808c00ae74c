/** sha256 of every file under a folder, to prove a folder did or did not change. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** sha256 of each file below `root`, by relative path; {} when `root` does not exist. */
export function hashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(root)) return out;
  for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
    const f = path.join(root, name);
    if (fs.statSync(f).isFile()) out[name] = createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  }
  return out;
}

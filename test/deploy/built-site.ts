/**
 * A built `dist/` as the deploy tests look at it: its files, what the link checker
 * finds in it, and its `_headers` rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseHeadersFile, type ParsedRule } from './host-rules.ts';
import { checkSite, walk, type CheckResult } from './link-check.ts';

export interface Build {
  base: string;
  dist: string;
  files: string[];
  links: CheckResult;
  rules: ParsedRule[];
}

/** Reads the build in `dist`, made for `base`, and checks its links. */
export function readBuild(dist: string, base: string): Build {
  return {
    base,
    dist,
    files: walk(dist),
    links: checkSite(dist, base),
    rules: parseHeadersFile(fs.readFileSync(path.join(dist, '_headers'), 'utf8')),
  };
}

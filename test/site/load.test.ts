import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotError, readSiteData } from '../../src/site/load.ts';
import { plainSlug as modelSlug } from '../../src/site/slugs.ts';

const FIXTURE = path.resolve('test/fixtures/site-basic/data');
const temps: string[] = [];

/** A writable copy of the fixture, edited by `edit(file, json)`. */
function copyFixture(edit?: (file: string, json: any) => unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-load-'));
  temps.push(dir);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  if (edit) {
    for (const file of ['index.json', ...fs.readdirSync(path.join(dir, 'epochs')).map((f) => `epochs/${f}`)]) {
      const full = path.join(dir, file);
      const json = JSON.parse(fs.readFileSync(full, 'utf8'));
      const out = edit(file, json);
      if (out === null) fs.rmSync(full);
      else fs.writeFileSync(full, JSON.stringify(out ?? json));
    }
  }
  return dir;
}

afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('readSiteData on the fixture', () => {
  const site = readSiteData(FIXTURE);

  it('reads every epoch, available or not, ascending', () => {
    expect(site.epochs.map((e) => [e.epoch_id, e.available])).toEqual([
      [103, false],
      [104, true],
      [105, true],
      [106, true],
    ]);
    expect([...site.snapshots.keys()].sort()).toEqual([104, 105, 106]);
    expect(site.currentEpoch).toBe(106);
    expect(site.home.snapshot.epoch_id).toBe(106);
    expect(site.home.notice).toBeNull();
    expect(site.isSample).toBe(true);
  });

  it('derives every model across epochs, newest epoch first', () => {
    expect(site.models).toHaveLength(7);
    const big = site.modelsById.get('Qwen/Qwen3-235B-A22B-Instruct-2507-FP8')!;
    expect(big.epochs.map((e) => e.epochId)).toEqual([106, 105, 104]);
    expect(big.firstEpoch).toBe(104);
    expect(big.lastEpoch).toBe(106);
    expect(big.epochs[2]!.row.inferences).toBeNull(); // epoch 104: usage unavailable
    const kimi = site.modelsById.get('moonshotai/Kimi-K2.6')!;
    expect(kimi.details.in_registry).toBe(false);
    expect(kimi.details.hf_repo).toBeNull();
    // Current-epoch models first, by effective weight there, then the older ones likewise.
    expect(site.models.map((m) => m.id)).toEqual([
      'Qwen/Qwen3-235B-A22B-Instruct-2507-FP8',
      'Qwen/Qwen3-32B-FP8',
      'moonshotai/Kimi-K2.6',
      'Qwen/QwQ-32B',
      'RedHatAI/Qwen2.5-7B-Instruct-quantized.w8a16',
      // 105 only: effective 7 (raw 7) before effective 6 (raw 12).
      'odd id/with spaces & "<b>"',
      '../../etc/passwd',
    ]);
    // A model deleted from the registry keeps its last registry row as its parameters, and says when it left.
    const qwq = site.modelsById.get('Qwen/QwQ-32B')!;
    expect(qwq.latest.registry_status).toBe('removed');
    expect(qwq.detailsEpoch).toBe(105);
    expect(qwq.removal).toEqual({ epochId: 106, during: true });
    expect(big.removal).toBeNull();
  });

  it('sorts an unknown effective weight after known ones', () => {
    const dir = copyFixture((file, json) => {
      if (file === 'epochs/106.json') {
        const kimi = json.models.find((m: { id: string }) => m.id === 'moonshotai/Kimi-K2.6');
        kimi.effective_weight = null;
        kimi.share = null;
      }
    });
    const ids = readSiteData(dir).models.map((m) => m.id);
    expect(ids.indexOf('moonshotai/Kimi-K2.6')).toBe(4);
  });

  it('gives unsafe ids a fallback slug', () => {
    const evil = site.modelsById.get('../../etc/passwd')!;
    expect(evil.slug).toMatch(/^_\/[0-9a-f]{16}$/);
    expect(evil.slug).toBe(modelSlug('../../etc/passwd'));
  });
});

describe('readSiteData errors', () => {
  it('names the file and the field path of an invalid snapshot', () => {
    const dir = copyFixture((file, json) => {
      if (file === 'epochs/105.json') json.models[2].total_weight = '19023';
    });
    expect(() => readSiteData(dir)).toThrow(SnapshotError);
    expect(() => readSiteData(dir)).toThrow(/epochs\/105\.json: does not match the snapshot schema\n✖ .*\n\s+→ at models\[2\]\.total_weight/);
  });

  it('names a missing snapshot file', () => {
    const dir = copyFixture((file) => (file === 'epochs/104.json' ? null : undefined));
    expect(() => readSiteData(dir)).toThrow(/epochs\/104\.json: cannot read \(ENOENT\)/);
  });

  it('names a missing data folder', () => {
    expect(() => readSiteData(path.join(os.tmpdir(), 'no-such-gonka-data'))).toThrow(/index\.json: cannot read .*npm run data/);
  });

  it('rejects a snapshot filed under another epoch', () => {
    const dir = copyFixture((file, json) => {
      if (file === 'epochs/105.json') json.epoch_id = 99;
    });
    expect(() => readSiteData(dir)).toThrow(/epochs\/105\.json: epoch_id is 99 but .*index\.json lists it as epoch 105/);
  });

  it('rejects an index that is not JSON', () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, 'index.json'), '{"schema_version": 1,');
    expect(() => readSiteData(dir)).toThrow(/index\.json: not valid JSON/);
  });

  it('rejects a model listed twice in one epoch', () => {
    const dir = copyFixture((file, json) => {
      if (file === 'epochs/106.json') json.models.push(json.models[0]);
    });
    expect(() => readSiteData(dir)).toThrow(/epochs\/106\.json: models\[5\]\.id "Qwen\/Qwen3-235B-A22B-Instruct-2507-FP8" appears twice/);
  });

  it('falls back to the newest available epoch when the current one has no data, and says so', () => {
    const dir = copyFixture((file, json) => {
      if (file === 'index.json') {
        json.current_epoch = 107;
        json.epochs.push({ epoch_id: 107, available: false, reason: 'PoC failed' });
      }
    });
    const site = readSiteData(dir);
    expect(site.home.snapshot.epoch_id).toBe(106);
    expect(site.home.notice).toMatch(/current epoch 107 has no data: PoC failed\. Showing epoch 106/);
  });
});

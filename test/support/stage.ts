/** Stages a whole change at once, as a run does snapshot by snapshot (src/snapshot/write.ts `SnapshotStage`). */
import { SnapshotStage, type StagedWrite } from '../../src/snapshot/write.ts';
import type { EpochIndex, EpochSnapshot } from '../../src/snapshot/schema.ts';

/** Stages `snapshots` and `index` for the cache file `cacheInode`; on failure nothing stays staged. */
export function stageSnapshots(dataDir: string, index: EpochIndex, snapshots: EpochSnapshot[], cacheInode: number): StagedWrite {
  const stage = SnapshotStage.open(dataDir);
  try {
    for (const s of snapshots) stage.add(s);
    return stage.finish(index, cacheInode);
  } catch (err) {
    stage.discard();
    throw err;
  }
}

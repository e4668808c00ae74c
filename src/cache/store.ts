/**
 * The Keyv cache on SQLite. A run works on a private copy of the cache file and
 * renames it over the original only when the run succeeds, so a failed or killed
 * run leaves the cache exactly as it was; a lock file keeps two runs apart; a
 * corrupt file is moved aside and rebuilt.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

/** Thrown when another run holds the cache. */
export class CacheBusyError extends Error {
  override name = 'CacheBusyError';
}

const MAX_KEY = 200;

/** Keeps keys readable, but hashes the long ones (hostile model ids can be 10 000 characters). */
function storageKey(key: string): string {
  return key.length <= MAX_KEY ? key : `${key.slice(0, 64)}#${createHash('sha256').update(key).digest('hex')}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeLock(lockPath: string): void {
  for (let i = 0; i < 2; i++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && pidAlive(holder)) {
        throw new CacheBusyError(`another run (pid ${holder}) is using the cache ${lockPath.replace(/\.lock$/, '')}; try again when it ends`);
      }
      fs.rmSync(lockPath, { force: true }); // left by a killed run
    }
  }
  throw new CacheBusyError(`could not take the cache lock ${lockPath}`);
}

/** A run's view of the cache: get/set by key, committed or discarded as a whole. */
export class Cache {
  private constructor(
    private readonly keyv: Keyv,
    private readonly file: string,
    private readonly workFile: string,
    private readonly lockFile: string,
    /** Set when a corrupt cache file was found and moved aside. */
    readonly warning: string | null,
  ) {}

  /** Opens the cache at `file` for one run: takes the lock and works on a copy. */
  static async open(file: string): Promise<Cache> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const lockFile = `${file}.lock`;
    takeLock(lockFile);
    const workFile = `${file}.run-${process.pid}`;
    try {
      let warning: string | null = null;
      // Holding the lock, any other run's working copy is left over from a killed run.
      const base = path.basename(file);
      for (const name of fs.readdirSync(path.dirname(file))) {
        if (name.startsWith(`${base}.run-`)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
      }
      if (fs.existsSync(file)) fs.copyFileSync(file, workFile);
      let opened = await Cache.connect(workFile);
      if (!opened.ok) {
        const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await opened.store.disconnect().catch(() => {});
        fs.renameSync(file, aside);
        fs.rmSync(workFile, { force: true });
        warning = `cache ${file} is not a readable SQLite database (${opened.error}); moved it to ${aside} and starting a new cache`;
        opened = await Cache.connect(workFile);
        if (!opened.ok) throw new Error(`cannot create the cache at ${workFile}: ${opened.error}`);
      }
      return new Cache(opened.keyv, file, workFile, lockFile, warning);
    } catch (err) {
      fs.rmSync(workFile, { force: true });
      fs.rmSync(lockFile, { force: true });
      throw err;
    }
  }

  private static async connect(
    file: string,
  ): Promise<{ ok: true; keyv: Keyv; store: KeyvSqlite } | { ok: false; store: KeyvSqlite; error: string }> {
    const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
    const keyv = new Keyv({ store, namespace: 'gonka' });
    try {
      // Reading a key makes SQLite parse the file; a damaged file fails here, not mid-run.
      await store.query('PRAGMA quick_check');
      await keyv.get('probe');
      return { ok: true, keyv, store };
    } catch (err) {
      return { ok: false, store, error: (err as Error).message };
    }
  }

  /** The cached value, or undefined. */
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.keyv.get<T>(storageKey(key))) ?? undefined;
  }

  /** Whether `key` holds a live value, without reading it. */
  has(key: string): Promise<boolean> {
    return this.keyv.has(storageKey(key));
  }

  /** Stores `value`; with `ttlMs` it expires. */
  async set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const ok = await this.keyv.set(storageKey(key), value, ttlMs);
    if (!ok) throw new Error(`cache: could not store ${key}`);
  }

  /** Removes `key` (true when it held a value). */
  delete(key: string): Promise<boolean> {
    return this.keyv.delete(storageKey(key));
  }

  private sealed = false;

  /**
   * Closes this run's copy for good and returns its inode: after `commit` the
   * cache file is that inode, which is how staged data tells whether its cache
   * came into place (src/snapshot/write.ts).
   */
  async seal(): Promise<number> {
    if (!this.sealed) {
      await this.keyv.disconnect();
      this.sealed = true;
    }
    return fs.statSync(this.workFile).ino;
  }

  /** Makes this run's writes the cache: closes the copy and renames it over the original. */
  async commit(): Promise<void> {
    await this.seal();
    fs.renameSync(this.workFile, this.file);
    fs.rmSync(this.lockFile, { force: true });
  }

  /** The inode of the cache file in place; null when there is none yet. */
  committedInode(): number | null {
    try {
      return fs.statSync(this.file).ino;
    } catch {
      return null;
    }
  }

  /** Drops this run's writes, leaving the original file untouched. */
  async discard(): Promise<void> {
    if (!this.sealed) await this.keyv.disconnect().catch(() => {});
    fs.rmSync(this.workFile, { force: true });
    fs.rmSync(this.lockFile, { force: true });
  }
}

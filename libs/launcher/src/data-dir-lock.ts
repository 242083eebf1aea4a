/**
 * One process at a time on an embedded database. PGlite takes no lock of its own, and two
 * processes writing one cluster would corrupt it, so the process holding the data directory
 * records its pid in `tollgate.lock` (created with O_EXCL). A lock whose process is gone (a
 * crash, a power cut) is stale and taken over; a live one stops the start with a message.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { DataDirError } from './data-dir.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  readonly file: string;
  /** The pid of a process that held the lock and did not stop cleanly, if any. */
  readonly staleFrom: number | undefined;

  private constructor(file: string, staleFrom: number | undefined) {
    this.file = file;
    this.staleFrom = staleFrom;
  }

  static async acquire(file: string, dir: string): Promise<DataDirLock> {
    let staleFrom: number | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(`${process.pid}\n`);
        } finally {
          await handle.close();
        }
        return new DataDirLock(file, staleFrom);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).trim(), 10);
      // Our own pid in the file means a previous life of this pid (a container restarted as pid 1).
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new DataDirError(
          `${dir} is in use by another Tollgate (pid ${holder}); stop it first. If no Tollgate runs there, delete ${file}`,
        );
      }
      staleFrom = Number.isInteger(holder) ? holder : 0;
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
    throw new DataDirError(`could not take ${file}: another process keeps creating it`);
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    const holder = Number.parseInt((await readFile(this.file, 'utf8').catch(() => '')).trim(), 10);
    if (holder === process.pid) await unlink(this.file).catch(() => undefined);
  }
}

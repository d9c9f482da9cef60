import * as fs from 'node:fs';
import { hostname } from 'node:os';

/** Options for {@link LockFile}. */
export interface LockFileOptions {
  /** Path of the lock file, e.g. `app.log.lock`. */
  path: string;
  /**
   * A lock older than this whose owner cannot be checked (another host) is taken over.
   * @defaultValue 30000
   */
  staleMs?: number;
}

const HOST = hostname();
// Atomics.wait on a private cell is a real sleep: no busy loop while another process holds the lock.
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errno(err) === 'EPERM';
  }
}

/**
 * An inter-process mutex made of an `O_CREAT|O_EXCL` file holding `pid@host`, for processes that share a
 * log file without a master process (what Python's concurrent-log-handler does with portalocker).
 * A lock whose owner died is broken: same host → the pid is checked with `kill(pid, 0)`; other host →
 * after `staleMs`. Breaking renames the lock to a unique name first, so two processes can never both
 * break it and then both believe they own it.
 */
export class LockFile {
  private readonly path: string;
  private readonly staleMs: number;
  private readonly token = `${process.pid}@${HOST}`;
  private held = false;

  constructor(options: LockFileOptions) {
    this.path = options.path;
    this.staleMs = options.staleMs ?? 30_000;
  }

  /**
   * Waits until the lock is ours. The wait is synchronous (the holder keeps the lock for one batch, well
   * under a millisecond) so that a batch is written in one go. Throws only on an unexpected file-system
   * error (e.g. EACCES on the directory).
   */
  acquire(): void {
    let wait = 0;
    for (;;) {
      try {
        const fd = fs.openSync(this.path, 'wx');
        try {
          fs.writeSync(fd, this.token);
        } finally {
          fs.closeSync(fd);
        }
        this.held = true;
        return;
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
      if (this.breakIfStale()) continue;
      wait = Math.min(wait + 1, 10);
      Atomics.wait(SLEEPER, 0, 0, wait);
    }
  }

  /** Releases the lock if this object holds it. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      fs.unlinkSync(this.path);
    } catch {
      // Already broken by someone who judged it stale: nothing left to release.
    }
  }

  private breakIfStale(): boolean {
    let owner: string;
    let mtimeMs: number;
    try {
      owner = fs.readFileSync(this.path, 'utf8');
      mtimeMs = fs.statSync(this.path).mtimeMs;
    } catch {
      return true; // released between our open() and now: try again at once
    }
    if (!this.isStale(owner, mtimeMs)) return false;
    const aside = `${this.path}.stale.${process.pid}.${Date.now()}`;
    try {
      fs.renameSync(this.path, aside);
    } catch {
      return true; // someone else broke it first
    }
    // The file renamed may be a fresh lock created after our check: put it back if so.
    try {
      const moved = fs.readFileSync(aside, 'utf8');
      if (moved !== owner && !this.isStale(moved, Date.now())) fs.linkSync(aside, this.path);
    } catch {
      // The owner's own retry will recreate it; never fail the batch over lock housekeeping.
    }
    try {
      fs.unlinkSync(aside);
    } catch {
      // Nothing to clean up.
    }
    return true;
  }

  private isStale(owner: string, mtimeMs: number): boolean {
    const at = owner.indexOf('@');
    const pid = Number(owner.slice(0, at));
    if (at > 0 && owner.slice(at + 1) === HOST && Number.isInteger(pid) && pid > 0) return !isAlive(pid);
    // Unknown owner (another host, or a half-written lock): only age tells.
    return Date.now() - mtimeMs > this.staleMs;
  }
}

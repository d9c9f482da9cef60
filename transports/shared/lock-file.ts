import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Options for {@link LockFile}. */
export interface LockFileOptions {
  /** Path of the lock file, e.g. `app.log.lock`. */
  path: string;
  /**
   * A lock held longer than this is taken over, whoever holds it: a holder keeps the lock for one batch
   * (well under a millisecond), so a lock this old belongs to a stopped (SIGSTOP), hung or foreign process.
   * @defaultValue 10000
   */
  staleMs?: number;
  /** Permission bits of the lock file (before the umask). @defaultValue 0o644 */
  fileMode?: number;
}

/** Why a lock was broken; {@link LockFile.tryAcquire} hands it to the caller, which reports it. */
export type StaleLockReason = string;

const HOST = hostname();
/** A lock file still empty after this long was left by a crash between its creation and its write. */
const EMPTY_GRACE_MS = 1000;
// Atomics.wait on a private cell is a real sleep; used only by acquireSync(), the explicitly synchronous
// path (process 'exit', close()), never while the event loop is running records.
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * The start time of `pid` (field 22 of `/proc/<pid>/stat`, in clock ticks since boot), or '' where
 * `/proc` is not available. With the pid it identifies a process: a pid reused after a reboot or by a
 * later process has another start time.
 */
function startTimeOf(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

/** Whether `pid` exists (EPERM: it exists and belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM';
  }
}

// This process's own start time, read from /proc when the first lock is made (not at import: most apps
// never take a lock, and the read is a file system call).
let selfStart: string | undefined;

/**
 * An inter-process mutex made of an `O_CREAT|O_EXCL` file holding `pid@host@starttime`, for processes that
 * share a log file without a master process (what Python's concurrent-log-handler does with portalocker).
 * `O_EXCL` also means a planted symlink at the lock's name is never followed.
 *
 * {@link tryAcquire} never waits: the writer queues records and tries again from a timer, so waiting for
 * another process never blocks the event loop. A lock is broken (and the reason returned once) when:
 * it is empty for more than 1 s (a crash between create and write); its owner's pid is gone; the pid was
 * reused (another start time in `/proc`); or it is older than `staleMs` (holder stopped, hung, or on
 * another host). Breaking renames the lock to a unique name first, so two processes can never both break
 * it and then both believe they own it.
 */
export class LockFile {
  private readonly path: string;
  private readonly staleMs: number;
  private readonly fileMode: number;
  private readonly token = `${process.pid}@${HOST}@${(selfStart ??= startTimeOf(process.pid))}`;
  private held = false;

  constructor(options: LockFileOptions) {
    this.path = options.path;
    this.staleMs = options.staleMs ?? 10_000;
    this.fileMode = options.fileMode ?? 0o644;
  }

  /** True while this object holds the lock. */
  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Takes the lock if it is free (or stale, which is broken first); never waits. Returns `true` when the
   * lock is ours, `false` when another live process holds it; `onStale` hears why a lock was broken.
   * A missing directory is created (multiprocess mode must survive a deleted log directory). Throws only
   * on an unexpected file-system error (e.g. EACCES).
   */
  tryAcquire(onStale?: (reason: StaleLockReason) => void): boolean {
    if (this.held) return true;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.create()) return true;
      const reason = this.breakIfStale();
      if (reason === undefined) return false;
      if (reason !== '') onStale?.(reason);
    }
    return false;
  }

  /**
   * Synchronous wait of at most `timeoutMs` (sleeping 1–10 ms between attempts) for the explicitly
   * synchronous paths: `flushSync()` inside process `'exit'` and `close()`, where no event loop is left to
   * wait on. Returns whether the lock is ours.
   */
  acquireSync(timeoutMs: number, onStale?: (reason: StaleLockReason) => void): boolean {
    const end = Date.now() + timeoutMs;
    let wait = 0;
    for (;;) {
      if (this.tryAcquire(onStale)) return true;
      if (Date.now() >= end) return false;
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

  private create(): boolean {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'wx', this.fileMode);
    } catch (err) {
      const e = errno(err);
      if (e === 'EEXIST') return false;
      if (e !== 'ENOENT') throw err;
      fs.mkdirSync(dirname(this.path), { recursive: true });
      try {
        fd = fs.openSync(this.path, 'wx', this.fileMode);
      } catch (again) {
        if (errno(again) === 'EEXIST') return false;
        throw again;
      }
    }
    try {
      fs.writeSync(fd, this.token);
    } catch {
      // ENOSPC while writing a few bytes: the lock is still ours (an empty lock is broken after 1 s
      // by the others, and we remove it at release).
    } finally {
      fs.closeSync(fd);
    }
    this.held = true;
    return true;
  }

  /** Breaks the lock if stale: returns the reason, '' when it vanished meanwhile, undefined when live. */
  private breakIfStale(): StaleLockReason | undefined {
    let owner: string;
    let reason: StaleLockReason | undefined;
    try {
      const st = fs.lstatSync(this.path);
      // No writer makes a lock that is a link (O_EXCL never follows one): a planted or foreign file,
      // removed without reading through it.
      owner = st.isSymbolicLink() ? '' : fs.readFileSync(this.path, 'utf8');
      reason = st.isSymbolicLink()
        ? 'the lock file was a symbolic link (never made by a writer)'
        : this.staleness(owner, st.mtimeMs);
    } catch {
      return ''; // released between our open() and now: try again at once
    }
    if (reason === undefined) return undefined;
    const aside = `${this.path}.stale.${process.pid}.${Date.now()}`;
    try {
      fs.renameSync(this.path, aside);
    } catch {
      return ''; // someone else broke it first
    }
    // The file renamed may be a fresh lock created after our check: put it back if so.
    try {
      const moved = fs.lstatSync(aside).isSymbolicLink() ? owner : fs.readFileSync(aside, 'utf8');
      if (moved !== owner && this.staleness(moved, Date.now()) === undefined) {
        fs.linkSync(aside, this.path);
        fs.unlinkSync(aside);
        return '';
      }
    } catch {
      // The owner's own retry will recreate it; never fail the batch over lock housekeeping.
    }
    try {
      fs.unlinkSync(aside);
    } catch {
      // Nothing to clean up.
    }
    return reason;
  }

  private staleness(owner: string, mtimeMs: number): StaleLockReason | undefined {
    const age = Date.now() - mtimeMs;
    const [pidText, host, start] = owner.split('@');
    const pid = Number(pidText);
    if (owner === '' || host === undefined || !Number.isSafeInteger(pid) || pid <= 0) {
      return age > EMPTY_GRACE_MS
        ? `the lock file was ${owner === '' ? 'empty' : 'unreadable'} for ${Math.round(age)} ms (a writer crashed while taking it)`
        : undefined;
    }
    if (host === HOST) {
      if (!isAlive(pid)) return `its owner (pid ${pid}) is gone`;
      if (start !== undefined && start !== '') {
        const now = startTimeOf(pid);
        if (now !== '' && now !== start) return `its owner's pid ${pid} now belongs to another process`;
      }
    }
    return age > this.staleMs
      ? `it was held for ${Math.round(age)} ms, more than lockStaleMs (${this.staleMs} ms): its owner (pid ${pid} on ${host}) is stopped or hung`
      : undefined;
  }
}

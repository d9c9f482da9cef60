import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { FaultReporter } from './report-fault';
import { LockFile } from './lock-file';

/** Options for {@link BatchFileWriter}. */
export interface BatchFileWriterOptions {
  /** Absolute path of the live file (the dated layout moves it on with {@link BatchFileWriter.retarget}). */
  filename: string;
  encoding: BufferEncoding;
  /** Truncate on the first open (`mode: 'w'`); every later open appends. */
  truncate: boolean;
  /** Permission bits for a file this writer creates (before the umask). */
  fileMode: number;
  /**
   * Size rule (CPython 3.13's RotatingFileHandler, counted in bytes): roll over before a record when the
   * file is not empty and `size + recordBytes >= maxBytes`. 0 turns the rule off.
   */
  maxBytes: number;
  /** A batch is written as soon as this many characters are queued (else at the next turn of the loop). */
  batchChars: number;
  /** While records cannot be written (fault, lock held elsewhere), at most this many characters are queued. */
  maxQueuedChars: number;
  /** …and at most this many records; newer records are dropped and counted. */
  maxQueuedRecords: number;
  /** How long to wait before retrying after a failed open/write, or a failed rotation. */
  retryMs: number;
  /** Take a lock file around every batch and re-read the file by name under it. */
  multiprocess: boolean;
  /** Lock-file staleness bound (see {@link LockFile}). */
  lockStaleMs: number;
  faults: FaultReporter;
  /**
   * Moves the live file aside. Called with the file closed (and, in multiprocess mode, the lock held);
   * `payload` is what {@link BatchFileWriter.markRollover} was given, or undefined for the size rule.
   */
  rollover(payload: unknown): void;
  /** A file was opened (created or reopened). */
  onOpen(filename: string): void;
  /** Roll over even when the live file is not a regular file (the dated layout only moves on to a new name). */
  rolloverAnyFile?: boolean;
  /**
   * Multiprocess mode, timed rotation: the first rollover asked for by {@link BatchFileWriter.markRollover}
   * in a batch is skipped when, under the lock, the live file turns out to have been replaced since this
   * writer last wrote it — another process rotated it, and rotating again would move away the lines the
   * others wrote since. (The size rule needs no such flag: it is re-decided under the lock from the size.)
   */
  rolloverOnce?: boolean;
  /**
   * What the report of another writer (without multiprocess) advises.
   * @defaultValue 'use multiprocess: true (without it their lines are lost when one of them rotates)'
   */
  sharedAdvice?: string;
}

/** Counters of a file transport since it was created (the MongoDB transport's `stats()` names). */
export interface FileTransportStats {
  /** Records the transport accepted from `log()`. */
  received: number;
  /** Records completely written to the file (the kernel has every byte). */
  written: number;
  /** Records queued, not yet written. */
  pending: number;
  /** Records dropped because the queue was full (its byte or record bound) while the file could not be written. */
  dropped: number;
}

interface Mark {
  at: number;
  payload: unknown;
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? '';
}

const BYTES_PER_CHAR: Partial<Record<BufferEncoding, number>> = {
  latin1: 1,
  binary: 1,
  ascii: 1,
  utf16le: 2,
  ucs2: 2,
};

const { O_WRONLY, O_APPEND, O_CREAT, O_TRUNC } = fs.constants;
// Absent on Windows, where symlinks need privileges to create; 0 keeps the flags valid there.
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Opens the log file for appending; a file it creates is created without following a symlink: a link
 * planted at a predictable name (the live file right after a rollover, the next dated file) must not make
 * the application append to, or truncate, a file it can write. Two kinds of links are followed, checked on
 * the descriptor after opening them without `O_CREAT`/`O_TRUNC` (so a link swapped meanwhile changes
 * nothing): a link to a character device or a FIFO (`/dev/stdout`, `/dev/full`: writing there damages no
 * file), and — with `followExisting`, the transport's first open — a link to an existing file the user
 * configured before starting (CPython follows it; rot-41). A dangling link is never followed.
 */
export function openLogFile(path: string, truncate: boolean, mode: number, followExisting = false): number {
  const flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | (truncate ? O_TRUNC : 0);
  try {
    return fs.openSync(path, flags, mode);
  } catch (err) {
    if (code(err) === 'ENOENT') {
      fs.mkdirSync(dirname(path), { recursive: true });
      return fs.openSync(path, flags, mode);
    }
    if (code(err) !== 'ELOOP') throw err;
  }
  const fd = fs.openSync(path, O_WRONLY | O_APPEND);
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  if (st.isCharacterDevice() || st.isFIFO() || (followExisting && st.isFile())) {
    if (truncate && st.isFile()) fs.ftruncateSync(fd, 0);
    return fd;
  }
  fs.closeSync(fd);
  throw Object.assign(
    new Error(
      `${path} is a symbolic link to a ${st.isFile() ? 'regular file' : 'non-device'}; refusing to follow it (a planted link would redirect the log onto another file): configure the real path`,
    ),
    { code: 'ELOOP' },
  );
}

/**
 * The I/O half of the file transports: an in-memory queue of formatted lines drained by **one** serial
 * loop, with one `write(2)` per batch on an `O_APPEND` descriptor. A batch is written at the next turn of
 * the event loop, or at once when `batchChars` are queued: a synchronous burst of records then costs one
 * write per batch instead of piling up in memory (the burst blocks on the disk as CPython's handler does —
 * it is the only backpressure winston's `logger.info()` honours). Each batch is split where the size rule
 * (or a timed mark) says to roll over, so a rollover always falls between two whole records. The file's
 * identity and size are read by name at the start of every batch, so a file deleted or renamed by another
 * program is reopened, a restarted process continues at the size on disk, and — without `multiprocess` —
 * another writer (its bytes, its rotation or truncation) is detected and reported once.
 *
 * **Byte-exact resumption.** A short write is continued from the exact byte where it stopped. If that
 * fails too (disk full), the file is cut back (`ftruncate`) to the end of the last whole record, and the
 * cut record is the first one written on retry: the file never holds a torn or duplicated line. Where the
 * cut is impossible (a FIFO, or another writer appended meanwhile) the unwritten tail of the record is
 * kept and written first on retry, resuming at the exact byte.
 *
 * **Multiprocess.** The lock is only ever *tried* on the event loop: while another process holds it the
 * records stay queued (bounded) and a timer tries again (1–16 ms backoff), so the loop never waits.
 *
 * Faults never throw to the caller: they are reported once through the {@link FaultReporter}; unwritten
 * records stay queued (bounded in characters and records; drops counted) and are retried every `retryMs`.
 */
export class BatchFileWriter {
  private readonly o: BatchFileWriterOptions;
  private readonly maxBytesPerChar: number;
  private readonly lock: LockFile | undefined;
  private filename: string;
  private lines: string[] = [];
  private marks: Mark[] = [];
  private queuedChars = 0;
  /** Tail of a record that a failed write left half-written and could not cut back: it goes out first. */
  private head: Buffer | undefined;
  /** Lines of the chunk being written that are consumed (in the file, or in `head`). */
  private chunkDone = 0;
  private fd: number | undefined;
  private dev = 0;
  private ino = 0;
  private size = 0;
  private regular = true;
  private opened = false;
  /** The first open follows a symlink the user configured; later opens create files (see openLogFile). */
  private everOpened = false;
  private draining = false;
  private scheduled = false;
  private faulted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private lockTimer: NodeJS.Timeout | undefined;
  private lockBackoff = 0;
  private rotateBlockedUntil = 0;
  /** After a rollover the next record is written whatever its size, as CPython does. */
  private justRotated = false;
  private received = 0;
  private written = 0;
  private dropped = 0;
  /** `dropped` when the current overflow began (for the count reported when it ends). */
  private droppedAtOverflow = 0;
  private waiters: Array<() => void> = [];
  /** close() found the lock held elsewhere: close once the queue is written. */
  private closeWhenDrained = false;
  /** The process emits `'exit'` (see {@link processExit}): every record is written as it is pushed. */
  private exiting = false;
  /** At exit, a synchronous wait for another process's lock timed out: do not wait again per record. */
  private exitLockGaveUp = false;
  private readonly kick = (): void => {
    this.scheduled = false;
    if (!this.faulted) this.drain();
  };
  private readonly onStale = (reason: string): void => {
    this.o.faults.report('stale-lock', `took over the lock file ${this.filename}.lock: ${reason}`);
  };

  constructor(options: BatchFileWriterOptions) {
    this.o = options;
    this.filename = options.filename;
    this.maxBytesPerChar = BYTES_PER_CHAR[options.encoding] ?? 3;
    this.lock = options.multiprocess
      ? new LockFile({
          path: `${options.filename}.lock`,
          staleMs: options.lockStaleMs,
          fileMode: options.fileMode,
        })
      : undefined;
  }

  /** The file written now. */
  get currentFile(): string {
    return this.filename;
  }

  /** Opens the file now (CPython's `delay=False`); a failure is reported and retried with the first batch. */
  openNow(): void {
    try {
      this.open();
    } catch (err) {
      // Reported on the next tick, so that a 'warn' listener attached right after construction hears it.
      process.nextTick(() => this.report('open', err));
    }
  }

  /**
   * Queues one formatted line (terminator included). While records cannot be written (the file is
   * failing, or another process holds the lock), records beyond `maxQueuedChars`/`maxQueuedRecords` are
   * dropped and counted, so a broken file never stalls the application or grows its memory.
   */
  push(line: string): void {
    this.received++;
    if (
      (this.faulted || this.lockTimer !== undefined) &&
      (this.queuedChars + line.length > this.o.maxQueuedChars || this.lines.length >= this.o.maxQueuedRecords)
    ) {
      if (!this.o.faults.isActive('overflow')) this.droppedAtOverflow = this.dropped;
      this.dropped++;
      this.o.faults.report(
        'overflow',
        `queue full (${this.lines.length} records, ${this.queuedChars} characters) while ${this.filename} cannot be written; dropping new records`,
      );
      return;
    }
    this.lines.push(line);
    this.queuedChars += line.length;
    if (this.queuedChars >= this.o.batchChars && !this.faulted) this.drain();
    else if (this.exiting) this.writeAtExit();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** Asks for a rollover before the next line pushed (the timed transports' decision). */
  markRollover(payload: unknown): void {
    this.marks.push({ at: this.lines.length, payload });
  }

  /**
   * Points the writer at another file; only from the `rollover` callback (the file is closed then). The
   * dated layout writes each interval into its own file this way.
   */
  retarget(filename: string): void {
    this.closeFd();
    this.filename = filename;
    this.opened = false;
  }

  /**
   * Writes everything queued now, without waiting for a lock held by another process. Returns true when
   * nothing is left queued.
   */
  flush(): boolean {
    if (this.faulted) {
      // An explicit flush is a good moment to see whether the fault has cleared.
      clearTimeout(this.retryTimer);
      this.faulted = false;
    }
    this.drain();
    return !this.hasWork();
  }

  /**
   * Resolves when everything queued so far is written, or when the file is failing (the records stay
   * queued for the next retry). Waits for another process's lock without blocking the event loop.
   */
  whenFlushed(): Promise<void> {
    this.flush();
    if (!this.hasWork() || this.faulted) return Promise.resolve();
    // Someone waits for these records (logger.end()): the lock retry may now keep the process alive.
    this.lockTimer?.ref();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Synchronous flush for process `'exit'` (where nothing asynchronous runs any more) and `close()`: in
   * multiprocess mode it waits up to `lockWaitMs` for the lock, sleeping, since no event loop is left.
   * Returns true when nothing is left queued.
   */
  flushSync(lockWaitMs = 1000): boolean {
    if (this.lock !== undefined && this.hasWork()) {
      try {
        if (!this.lock.acquireSync(lockWaitMs, this.onStale)) {
          this.o.faults.report(
            'lock',
            `the lock file ${this.filename}.lock stayed held by another process for ${lockWaitMs} ms during a synchronous flush`,
          );
          return false;
        }
      } catch (err) {
        this.report('lock', err);
        return false;
      }
    }
    return this.flush();
  }

  /**
   * The process emits `'exit'`: no later turn of the event loop comes, so from now on each record is
   * written as it is pushed (records logged by an app's `'exit'` listener that runs after the bundle's hook).
   */
  processExit(): void {
    this.exiting = true;
  }

  /**
   * The process is exiting (a record logged by an `'exit'` listener that runs after the bundle's hook): no
   * later turn of the event loop comes, so the record is written now. A lock another process keeps is
   * waited for once (1 s, as the exit flush does); after that wait failed, later records only try it.
   */
  private writeAtExit(): void {
    if (this.draining) return; // a listener of our own events logged: the running drain picks it up
    if (!this.flushSync(this.exitLockGaveUp ? 0 : 1000) && this.lock !== undefined && !this.lock.isHeld)
      this.exitLockGaveUp = true;
  }

  /**
   * Writes what is queued, then closes the file. Records that still cannot be written are dropped and
   * reported with their count. In multiprocess mode, while another process holds the lock, the records
   * are written (and the file closed) as soon as it is free, without blocking. Idempotent; a later push
   * reopens the file, as CPython's FileHandler does.
   */
  close(): void {
    if (this.lock !== undefined && this.hasWork() && !this.faulted) {
      this.drain();
      if (this.lockTimer !== undefined) {
        // Another process holds the lock: never wait for it on the event loop. The timer (kept alive
        // now) writes the records when the lock is free, then the file is closed.
        this.closeWhenDrained = true;
        this.lockTimer.ref();
        return;
      }
    }
    this.closeNow();
  }

  private closeNow(): void {
    this.closeWhenDrained = false;
    this.flushSync();
    clearTimeout(this.retryTimer);
    clearTimeout(this.lockTimer);
    this.lockTimer = undefined;
    this.faulted = false;
    if (this.hasWork()) {
      const lost = this.lines.length + (this.head !== undefined ? 1 : 0);
      this.dropped += lost;
      this.lines = [];
      this.marks = [];
      this.head = undefined;
      this.queuedChars = 0;
      this.o.faults.report(
        'close',
        `${lost} queued record(s) could not be written to ${this.filename} before close and were dropped`,
      );
      this.o.faults.clear('close');
    }
    this.closeFd();
    this.settle();
  }

  /** Counters since the writer was created. */
  stats(): FileTransportStats {
    return {
      received: this.received,
      // A record whose tail waits in `head` is pending, not written.
      written: this.written - (this.head !== undefined ? 1 : 0),
      pending: this.lines.length + (this.head !== undefined ? 1 : 0),
      dropped: this.dropped,
    };
  }

  private hasWork(): boolean {
    return this.lines.length !== 0 || this.marks.length !== 0 || this.head !== undefined;
  }

  private drain(): void {
    // A 'new'/'rotate' listener that logs lands here again: its records join the queue and the
    // loop below picks them up, in order.
    if (this.draining || !this.hasWork()) {
      if (!this.draining) this.settle();
      return;
    }
    this.draining = true;
    let locked = false;
    try {
      if (this.lock !== undefined) {
        try {
          locked = this.lock.tryAcquire(this.onStale);
        } catch (err) {
          this.report('lock', err);
          this.enterFault();
          return;
        }
        if (!locked) {
          this.waitForLock();
          return;
        }
        this.lockBackoff = 0;
      }
      while (this.hasWork()) {
        const lines = this.lines;
        const marks = this.marks;
        const chars = this.queuedChars;
        this.lines = [];
        this.marks = [];
        this.queuedChars = 0;
        const [done, doneMarks, failed] = this.writeBatch(lines, marks, chars);
        this.written += done;
        if (!failed) continue;
        this.requeue(lines, marks, done, doneMarks);
        this.enterFault();
        return;
      }
      this.recovered();
    } finally {
      if (locked) this.lock?.release();
      this.draining = false;
    }
    if (this.closeWhenDrained) this.closeNow();
    this.settle();
  }

  /** Resolves {@link whenFlushed} promises once nothing is queued or the file is failing. */
  private settle(): void {
    if (this.waiters.length === 0 || (this.hasWork() && !this.faulted)) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }

  private waitForLock(): void {
    if (this.lockTimer !== undefined) return;
    this.lockBackoff = Math.min(Math.max(1, this.lockBackoff * 2), 16);
    this.lockTimer = setTimeout(() => {
      this.lockTimer = undefined;
      if (!this.faulted) this.drain();
    }, this.lockBackoff);
    // Waiting for another process must not keep this one alive on its own (the exit flush writes what is
    // left), unless a flush is awaited.
    if (this.waiters.length === 0) this.lockTimer.unref();
  }

  private recovered(): void {
    this.o.faults.clear('open');
    this.o.faults.clear('write');
    this.o.faults.clear('lock');
    this.o.faults.clear('stale-lock');
    if (this.o.faults.clear('overflow') !== 0) {
      const n = this.dropped - this.droppedAtOverflow;
      this.droppedAtOverflow = this.dropped;
      this.o.faults.report(
        'dropped',
        `${n} record(s) were dropped while ${this.filename} could not be written; writing again`,
      );
      this.o.faults.clear('dropped');
    }
  }

  private requeue(lines: string[], marks: Mark[], done: number, doneMarks: number): void {
    const rest = done === 0 ? lines : lines.slice(done);
    const shifted = marks.slice(doneMarks).map((m) => ({ at: m.at - done, payload: m.payload }));
    for (const m of this.marks) shifted.push({ at: m.at + rest.length, payload: m.payload });
    this.lines = this.lines.length === 0 ? rest : rest.concat(this.lines);
    this.marks = shifted;
    let chars = 0;
    for (const l of this.lines) chars += l.length;
    this.queuedChars = chars;
  }

  private enterFault(): void {
    this.faulted = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.faulted = false;
      this.drain();
    }, this.o.retryMs);
    // A broken log file must not keep the process alive.
    this.retryTimer.unref();
    this.settle();
  }

  /** Returns [lines written, marks handled, whether the batch stopped early on a fault]. */
  private writeBatch(lines: string[], marks: Mark[], chars: number): [number, number, boolean] {
    let i = 0;
    let m = 0;
    let phase = 'open';
    try {
      // Under the lock: whether another process rotated the file since our last batch.
      let rotatedElsewhere = this.sync() && this.lock !== undefined && this.o.rolloverOnce === true;
      phase = 'write';
      if (this.head !== undefined) this.writeHead();
      while (i < lines.length || m < marks.length) {
        const mark = marks[m];
        const stop = mark === undefined ? lines.length : mark.at;
        if (i === stop && mark !== undefined) {
          m++;
          if (rotatedElsewhere) {
            // That process already started the new interval's file: this rollover is done.
            rotatedElsewhere = false;
            continue;
          }
          phase = 'open';
          this.rotate(mark.payload);
          continue;
        }
        const j = this.fit(lines, i, stop, i === 0 && stop === lines.length ? chars : -1);
        phase = 'open';
        if (j === i) {
          this.rotate(undefined);
          continue;
        }
        if (this.fd === undefined) this.open();
        phase = 'write';
        this.justRotated = false;
        try {
          this.writeChunk(lines, i, j);
        } finally {
          i = this.chunkDone;
        }
      }
      return [i, m, false];
    } catch (err) {
      this.report(phase, err);
      return [i, m, true];
    }
  }

  private report(phase: string, err: unknown): void {
    const f = this.filename;
    const retry = `records are kept (bounded) and retried every ${this.o.retryMs} ms`;
    if (phase === 'lock') this.o.faults.report('lock', `cannot take the lock file ${f}.lock; ${retry}`, err);
    else if (phase === 'open') this.o.faults.report('open', `cannot open ${f}; ${retry}`, err);
    else if (code(err) === 'ENOSPC')
      this.o.faults.report('write', `disk full while writing ${f}; ${retry}`, err);
    else this.o.faults.report('write', `cannot write ${f}; ${retry}`, err);
  }

  /**
   * Index of the first record in [i, stop) that must go to a new file, or `stop` when all fit.
   * `chars` (when known) allows a fast path: if even the worst-case byte count fits, no record rolls.
   */
  private fit(lines: string[], i: number, stop: number, chars: number): number {
    const max = this.o.maxBytes;
    if (max <= 0 || !this.regular || Date.now() < this.rotateBlockedUntil) return stop;
    let size = this.size;
    if (chars >= 0 && size + chars * this.maxBytesPerChar < max) return stop;
    let j = i;
    if (this.justRotated && j < stop) {
      size += Buffer.byteLength(lines[j] ?? '', this.o.encoding);
      j++;
    }
    for (; j < stop; j++) {
      const bytes = Buffer.byteLength(lines[j] ?? '', this.o.encoding);
      if (size > 0 && size + bytes >= max) return j;
      size += bytes;
    }
    return stop;
  }

  private rotate(payload: unknown): void {
    // bpo-45401: never rename a FIFO, /dev/null or a device (the dated layout renames nothing).
    if (!this.regular && !this.o.rolloverAnyFile) return;
    this.closeFd();
    try {
      this.o.rollover(payload);
      this.o.faults.clear('rotate');
    } catch (err) {
      this.rotateBlockedUntil = Date.now() + this.o.retryMs;
      this.o.faults.report(
        'rotate',
        `rollover of ${this.filename} failed; writing on into the current file and retrying in ${this.o.retryMs} ms`,
        err,
      );
    }
    this.justRotated = true;
    this.open();
  }

  /**
   * Brings the descriptor in line with the name on disk: open it, or reopen it if it was moved. Returns
   * true when the name pointed at another file than the one open (moved, deleted or replaced).
   */
  private sync(): boolean {
    if (this.fd === undefined) {
      this.open();
      return false;
    }
    const st = fs.statSync(this.filename, { throwIfNoEntry: false });
    if (st !== undefined && st.ino === this.ino && st.dev === this.dev) {
      if (this.regular) {
        // In multiprocess mode the others' bytes are the normal case; without it they mean lines that
        // will interleave and rotations that race.
        if (this.lock === undefined && st.size !== this.size)
          this.reportShared(st.size < this.size ? 'truncated' : 'appended to');
        this.size = st.size;
      }
      return false;
    }
    if (this.lock === undefined)
      this.reportShared(st === undefined ? 'deleted or renamed' : 'replaced', '; reopening it');
    this.closeFd();
    this.open();
    return true;
  }

  private reportShared(what: string, then = ''): void {
    this.o.faults.report(
      'shared',
      `${this.filename} was ${what} by another program${then}. If several processes write this file, ` +
        (this.o.sharedAdvice ??
          'use multiprocess: true (without it their lines are lost when one of them rotates)'),
    );
  }

  private open(): void {
    const fd = openLogFile(this.filename, this.o.truncate && !this.opened, this.o.fileMode, !this.everOpened);
    let st: fs.Stats;
    try {
      st = fs.fstatSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    this.fd = fd;
    this.dev = st.dev;
    this.ino = st.ino;
    this.size = st.size;
    this.regular = st.isFile();
    this.opened = true;
    this.everOpened = true;
    this.o.faults.clear('open');
    this.o.onOpen(this.filename);
  }

  /**
   * Writes lines [i, j) with one `write(2)`; `chunkDone` says how many lines are consumed when it throws.
   * Writing the string itself spares a Buffer per batch; a short write falls back to bytes.
   */
  private writeChunk(lines: string[], i: number, j: number): void {
    this.chunkDone = i;
    const text = i === 0 && j === lines.length ? lines.join('') : lines.slice(i, j).join('');
    const enc = this.o.encoding;
    // Throws with nothing written: the lines stay queued as they are.
    const n = fs.writeSync(this.fd as number, text, null, enc);
    this.size += n;
    this.chunkDone = j;
    const total = n === text.length && this.maxBytesPerChar === 1 ? n : Buffer.byteLength(text, enc);
    if (n >= total) return;
    // A short write (disk nearly full, a quota): go on from the exact byte where it stopped…
    this.head = Buffer.from(text, enc).subarray(n);
    try {
      this.writeHead();
    } catch (err) {
      // …and when that fails, never leave a torn record in the file.
      this.cutBack(lines, i, j, total - (this.head?.length ?? 0));
      throw err;
    }
  }

  /**
   * After a failed write, `written` bytes of lines [i, j) are in the file. Cuts the file back to the end
   * of the last whole record, so the file never ends in a torn line (even if the process dies before the
   * disk recovers) and the cut record is rewritten whole; if the cut is unsafe, keeps the record's tail in
   * `head` to resume at the exact byte.
   */
  private cutBack(lines: string[], i: number, j: number, written: number): void {
    const enc = this.o.encoding;
    let k = i;
    let whole = 0;
    for (; k < j; k++) {
      const bytes = Buffer.byteLength(lines[k] ?? '', enc);
      if (whole + bytes > written) break;
      whole += bytes;
    }
    const partial = written - whole;
    if (partial === 0) {
      this.head = undefined;
      this.chunkDone = k;
      return;
    }
    const fd = this.fd as number;
    try {
      // Only when this process wrote the file's last bytes (nobody appended since).
      if (this.regular && fs.fstatSync(fd).size === this.size) {
        fs.ftruncateSync(fd, this.size - partial);
        this.size -= partial;
        this.head = undefined;
        this.chunkDone = k;
        return;
      }
    } catch {
      // Fall through: resume at the exact byte instead.
    }
    const rest = Buffer.byteLength(lines[k] ?? '', enc) - partial;
    this.head = Buffer.from(lines[k] ?? '', enc).subarray(partial, partial + rest);
    this.chunkDone = k + 1;
  }

  /** Writes `head` to the end; on failure `head` holds exactly the bytes not yet written. */
  private writeHead(): void {
    const fd = this.fd as number;
    while (this.head !== undefined) {
      const buf: Buffer = this.head;
      const n = fs.writeSync(fd, buf, 0, buf.length);
      this.size += n;
      this.head = n >= buf.length ? undefined : buf.subarray(n);
    }
  }

  private closeFd(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // EBADF/EIO on close: the descriptor is gone either way.
    }
  }
}

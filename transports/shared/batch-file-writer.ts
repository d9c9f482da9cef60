import * as fs from 'node:fs';
import { dirname } from 'node:path';
import type { FaultReporter } from './report-fault';
import { LockFile } from './lock-file';

/** Options for {@link BatchFileWriter}. */
export interface BatchFileWriterOptions {
  /** Absolute path of the live file. */
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
  /** While the file is failing, up to this many characters are kept for retry; newer records are dropped. */
  maxQueuedChars: number;
  /** How long to wait before retrying after a failed open/write, or a failed rotation. */
  retryMs: number;
  /** Take a lock file around every batch and re-read the file by name under it. */
  multiprocess: boolean;
  /** Lock-file staleness for owners on another host. */
  lockStaleMs: number;
  faults: FaultReporter;
  /**
   * Moves the live file aside. Called with the file closed (and, in multiprocess mode, the lock held);
   * `payload` is what {@link BatchFileWriter.markRollover} was given, or undefined for the size rule.
   */
  rollover(payload: unknown): void;
  /** A file was opened (created or reopened). */
  onOpen(filename: string): void;
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

/**
 * The I/O half of the rotating transports: an in-memory queue of formatted lines drained by **one**
 * serial loop, with one `write(2)` per batch on an `O_APPEND` descriptor. A batch is written at the next
 * turn of the event loop, or at once when `batchChars` are queued: a synchronous burst of records then
 * costs one write per batch instead of piling up in memory (the burst blocks on the disk as CPython's
 * handler does — it is the only backpressure winston's `logger.info()` honours). Each batch is split
 * where the size rule (or a timed mark) says to roll over, so a rollover always falls between two whole
 * records, before the one that would cross the limit. The file's identity and size are read by name at
 * the start of every batch, so a file deleted or renamed by another program is reopened and a restarted
 * process continues at the size on disk.
 *
 * Faults never throw to the caller: they are reported once through the {@link FaultReporter}; unwritten
 * records stay queued (bounded) and are retried every `retryMs`.
 */
export class BatchFileWriter {
  private readonly o: BatchFileWriterOptions;
  private readonly maxBytesPerChar: number;
  private readonly lock: LockFile | undefined;
  private lines: string[] = [];
  private marks: Mark[] = [];
  private queuedChars = 0;
  /** Tail of a buffer that a failed write left half-written: it goes out first, so no line is torn. */
  private head: Buffer | undefined;
  private fd: number | undefined;
  private dev = 0;
  private ino = 0;
  private size = 0;
  private regular = true;
  private opened = false;
  private draining = false;
  private scheduled = false;
  private faulted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private rotateBlockedUntil = 0;
  /** After a rollover the next record is written whatever its size, as CPython does. */
  private justRotated = false;
  private dropped = 0;
  private readonly kick = (): void => {
    this.scheduled = false;
    if (!this.faulted) this.drain();
  };

  constructor(options: BatchFileWriterOptions) {
    this.o = options;
    this.maxBytesPerChar = BYTES_PER_CHAR[options.encoding] ?? 3;
    this.lock = options.multiprocess
      ? new LockFile({ path: `${options.filename}.lock`, staleMs: options.lockStaleMs })
      : undefined;
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
   * Queues one formatted line (terminator included). While the file is failing, records beyond
   * `maxQueuedChars` are dropped (and counted), so a broken file never stalls the application.
   */
  push(line: string): void {
    if (this.faulted && this.queuedChars >= this.o.maxQueuedChars) {
      this.dropped++;
      this.o.faults.report('overflow', 'queue full while the file is failing; dropping new records');
      return;
    }
    this.lines.push(line);
    this.queuedChars += line.length;
    if (this.queuedChars >= this.o.batchChars && !this.faulted) this.drain();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** Asks for a rollover before the next line pushed (the timed transport's decision). */
  markRollover(payload: unknown): void {
    this.marks.push({ at: this.lines.length, payload });
  }

  /** Writes everything queued now. After it returns the kernel has every record, unless the file is failing. */
  flush(): void {
    if (this.faulted) {
      // An explicit flush is a good moment to see whether the fault has cleared.
      clearTimeout(this.retryTimer);
      this.faulted = false;
    }
    this.drain();
  }

  /**
   * Writes what is queued, then closes the file. Records that still cannot be written are dropped and
   * reported. Idempotent; a later push reopens the file, as CPython's FileHandler does.
   */
  close(): void {
    this.flush();
    clearTimeout(this.retryTimer);
    this.faulted = false;
    if (this.hasWork()) {
      const lost = this.lines.length;
      this.lines = [];
      this.marks = [];
      this.head = undefined;
      this.queuedChars = 0;
      this.o.faults.report(
        'close',
        `${lost} queued record(s) could not be written before close and were dropped`,
      );
    }
    this.closeFd();
  }

  /** Records dropped so far because the queue overflowed while the file was failing. */
  get droppedRecords(): number {
    return this.dropped;
  }

  private hasWork(): boolean {
    return this.lines.length !== 0 || this.marks.length !== 0 || this.head !== undefined;
  }

  private drain(): void {
    // A 'new'/'rotate' listener that logs lands here again: its records join the queue and the
    // loop below picks them up, in order.
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.hasWork()) {
        const lines = this.lines;
        const marks = this.marks;
        const chars = this.queuedChars;
        this.lines = [];
        this.marks = [];
        this.queuedChars = 0;
        const [done, doneMarks, failed] = this.writeBatch(lines, marks, chars);
        if (!failed) continue;
        this.requeue(lines, marks, done, doneMarks);
        this.enterFault();
        return;
      }
    } finally {
      this.draining = false;
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
  }

  /** Returns [lines written, marks handled, whether the batch stopped early on a fault]. */
  private writeBatch(lines: string[], marks: Mark[], chars: number): [number, number, boolean] {
    let i = 0;
    let m = 0;
    let phase = 'lock';
    try {
      this.lock?.acquire();
      phase = 'open';
      this.sync();
      phase = 'write';
      if (this.head !== undefined) {
        const head = this.head;
        this.head = undefined;
        this.writeBuffer(head);
      }
      while (i < lines.length || m < marks.length) {
        const mark = marks[m];
        const stop = mark === undefined ? lines.length : mark.at;
        if (i === stop && mark !== undefined) {
          m++;
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
        const text = i === 0 && j === lines.length ? lines.join('') : lines.slice(i, j).join('');
        this.justRotated = false;
        this.writeText(text);
        i = j;
      }
      this.o.faults.clear('open');
      this.o.faults.clear('write');
      this.o.faults.clear('lock');
      this.o.faults.clear('overflow');
      return [i, m, false];
    } catch (err) {
      this.report(phase, err);
      return [i, m, true];
    } finally {
      this.lock?.release();
    }
  }

  private report(phase: string, err: unknown): void {
    const f = this.o.filename;
    const retry = `records are kept and retried every ${this.o.retryMs} ms`;
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
    // bpo-45401: never rename a FIFO, /dev/null or a device.
    if (!this.regular) return;
    this.closeFd();
    try {
      this.o.rollover(payload);
      this.o.faults.clear('rotate');
    } catch (err) {
      this.rotateBlockedUntil = Date.now() + this.o.retryMs;
      this.o.faults.report(
        'rotate',
        `rollover of ${this.o.filename} failed; writing on into the current file and retrying in ${this.o.retryMs} ms`,
        err,
      );
    }
    this.justRotated = true;
    this.open();
  }

  /** Brings the descriptor in line with the name on disk: open it, or reopen it if it was moved. */
  private sync(): void {
    if (this.fd === undefined) {
      this.open();
      return;
    }
    const st = fs.statSync(this.o.filename, { throwIfNoEntry: false });
    if (st !== undefined && st.ino === this.ino && st.dev === this.dev) {
      if (this.regular) this.size = st.size;
      return;
    }
    // In multiprocess mode another writer rotating the file is the normal case, not a fault.
    if (this.lock === undefined)
      this.o.faults.report(
        'moved',
        `${this.o.filename} was ${st === undefined ? 'deleted or renamed' : 'replaced'} by another program; reopening it`,
      );
    this.o.faults.clear('moved');
    this.closeFd();
    this.open();
  }

  private open(): void {
    const flags = this.o.truncate && !this.opened ? 'w' : 'a';
    let fd: number;
    try {
      fd = fs.openSync(this.o.filename, flags, this.o.fileMode);
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
      fs.mkdirSync(dirname(this.o.filename), { recursive: true });
      fd = fs.openSync(this.o.filename, flags, this.o.fileMode);
    }
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
    this.o.faults.clear('open');
    this.o.onOpen(this.o.filename);
  }

  // Writing the string itself spares a Buffer per batch; the rare short write falls back to bytes.
  private writeText(text: string): void {
    if (this.fd === undefined) this.open();
    const n = fs.writeSync(this.fd as number, text, null, this.o.encoding);
    this.size += n;
    const total =
      n === text.length && this.maxBytesPerChar === 1 ? n : Buffer.byteLength(text, this.o.encoding);
    if (n < total) this.writeBuffer(Buffer.from(text, this.o.encoding).subarray(n));
  }

  private writeBuffer(buf: Buffer): void {
    if (this.fd === undefined) this.open();
    const fd = this.fd as number;
    let off = 0;
    try {
      while (off < buf.length) {
        const n = fs.writeSync(fd, buf, off, buf.length - off);
        off += n;
        this.size += n;
      }
    } catch (err) {
      if (off > 0) this.head = buf.subarray(off);
      throw err;
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

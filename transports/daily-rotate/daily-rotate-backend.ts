import type { EventEmitter } from 'node:events';
import { basename, dirname } from 'node:path';
import type DailyRotateFile from 'winston-daily-rotate-file';
import type { FaultReporter } from '../shared/report-fault';

/** Options for {@link DailyRotateBackend}; validated by the transport that builds it. */
export interface DailyRotateBackendOptions {
  /** The transport: DRF's events are re-emitted on it. */
  owner: EventEmitter;
  /** Reports faults once, on the owner's `'warn'`. */
  faults: FaultReporter;
  /** Absolute path pattern containing `%DATE%`. */
  filename: string;
  /** file-stream-rotator's `frequency`. */
  frequency: string;
  /** moment.js date pattern. */
  datePattern: string;
  utc: boolean;
  /** DRF's `maxFiles` (count of files including the live one, or `'<n>d'`). */
  maxFiles?: number | string;
  zippedArchive: boolean;
  createSymlink: boolean;
  symlinkName?: string;
  /** DRF's audit file (where it remembers files for `maxFiles`). */
  auditFile: string;
  /** `fs.createWriteStream` options for every dated file. */
  fileOptions: { flags: 'a'; mode: number; encoding: BufferEncoding };
  /** Milliseconds between reopen attempts after a fault. */
  retryMs: number;
  /** Records kept while no file is writable, in UTF-16 characters. */
  maxQueuedChars: number;
}

/**
 * file-stream-rotator's stream: an EventEmitter that forwards `write(str, encoding)` to the current
 * `fs.WriteStream` (passing our callback in the encoding slot, which fs.WriteStream accepts as the
 * callback), and bubbles that stream's `open`/`finish`/`close`/`error` — and those of every stream it
 * rotated away from.
 */
interface RotatorStream extends EventEmitter {
  write(chunk: string, callback?: (error?: Error | null) => void): unknown;
  end(): unknown;
}

type Waiter = { limit: number; run: () => void };

/**
 * Drives a real winston-daily-rotate-file `DailyRotateFile` and closes its gap: DRF calls back and
 * finishes before its `fs.WriteStream`s have written anything. Here every stream DRF creates is counted
 * (one at start, one per `'rotate'`) and uncounted at its `'close'`, which fs.WriteStream emits only after
 * every queued write has completed and the descriptor is closed; `end()` calls back when none is left.
 *
 * Records are queued (not handed to DRF) until the current file is open, so a file that cannot be opened
 * loses nothing: the fault is reported once and DRF is rebuilt every `retryMs` until it opens.
 */
export class DailyRotateBackend {
  private stream: RotatorStream | undefined;
  private ready = false;
  private started = false;
  private ending = false;
  private unclosed = 0;
  private waiters: Waiter[] = [];
  private readyWaiters: Array<() => void> = [];
  private queue: string[] = [];
  private queuedChars = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** The dated file DRF last opened, for fault messages. */
  private current: string;

  constructor(private readonly o: DailyRotateBackendOptions) {
    this.current = o.filename;
  }

  /** Builds DRF now (the transport's `delay: false`). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.open();
  }

  /** Hands one line to DRF, or queues it while the file is not open. Never throws. */
  write(line: string): void {
    const s = this.stream;
    if (s !== undefined && this.ready) {
      try {
        s.write(line);
        return;
      } catch (err) {
        // file-stream-rotator creates the next file's directory inside write() and lets mkdir throw.
        this.fail(err, s);
      }
    } else if (!this.started) {
      this.start();
    }
    this.enqueue(line);
  }

  /**
   * Resolves when every line handed over so far is in the file: a zero-length write on the current
   * stream calls back after all earlier ones, and rotated-away streams have closed. While the file is
   * failing the lines stay queued and this resolves at once.
   */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      const settle = (): void => {
        const s = this.stream;
        if (s === undefined || !this.ready || this.ending) {
          this.whenDrained(this.ending ? 0 : Number.POSITIVE_INFINITY, resolve);
          return;
        }
        s.write('', (err) => {
          if (err == null) this.o.faults.clear('file');
          this.whenDrained(1, resolve);
        });
      };
      if (this.stream !== undefined && !this.ready) this.readyWaiters.push(settle);
      else settle();
    });
  }

  /** Ends the current file and calls back once every stream DRF opened has closed. Idempotent. */
  end(callback: () => void): void {
    if (!this.ending) {
      this.ending = true;
      if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
      const s = this.stream;
      if (s === undefined) this.dropQueue();
      else if (this.ready) s.end();
      // else: onOpen (or fail) ends it after the queue is written.
    }
    this.whenDrained(0, callback);
  }

  private open(): void {
    this.retryTimer = undefined;
    if (this.ending) return;
    const o = this.o;
    let drf: DailyRotateFile;
    try {
      // Required here, when the first dated file opens, so that apps that never use the dated layout do
      // not load winston-daily-rotate-file (and moment) when they import the package.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const DailyRotateFileClass = require('winston-daily-rotate-file') as typeof DailyRotateFile;
      drf = new DailyRotateFileClass({
        filename: basename(o.filename),
        dirname: dirname(o.filename),
        frequency: o.frequency,
        datePattern: o.datePattern,
        utc: o.utc,
        zippedArchive: o.zippedArchive,
        createSymlink: o.createSymlink,
        auditFile: o.auditFile,
        options: o.fileOptions,
        ...(o.maxFiles !== undefined ? { maxFiles: o.maxFiles } : {}),
        ...(o.symlinkName !== undefined ? { symlinkName: o.symlinkName } : {}),
      });
    } catch (err) {
      // mkdir of the log directory failed (file-stream-rotator throws it from its constructor).
      this.fail(err, undefined);
      return;
    }
    const s = drf.logStream as unknown as RotatorStream;
    this.unclosed++;
    s.on('rotate', () => this.unclosed++);
    s.on('close', () => this.onClose());
    s.on('open', () => this.onOpen(s));
    s.on('error', (err: unknown) => this.fail(err, s));
    const owner = o.owner;
    drf.on('new', (f: string) => {
      this.current = f;
      owner.emit('new', f);
    });
    drf.on('rotate', (from: string, to: string) => owner.emit('rotate', from, to));
    drf.on('archive', (f: string) => owner.emit('archive', f));
    drf.on('logRemoved', (f: string) => owner.emit('logRemoved', f));
    // DRF emits 'error' for gzip and removal failures; winston would re-emit it on the logger.
    drf.on('error', (err: unknown) =>
      o.faults.report('archive', 'archiving or removing an old file failed', err),
    );
    this.stream = s;
    this.ready = false;
  }

  private onOpen(s: RotatorStream): void {
    // Later 'open's are the files DRF rotates into; only the first one of a fresh DRF matters.
    if (s !== this.stream || this.ready) return;
    this.ready = true;
    if (this.queue.length !== 0) {
      const text = this.queue.join('');
      this.queue = [];
      this.queuedChars = 0;
      s.write(text, (err) => {
        if (err == null) {
          this.o.faults.clear('file');
        } else {
          // Still failing (a full disk opens fine): keep the replayed records for the next attempt. This
          // callback runs before the stream's 'error', so fail() sees them queued.
          this.queue.unshift(text);
          this.queuedChars += text.length;
        }
      });
    }
    if (this.ending) s.end();
    const waiting = this.readyWaiters;
    this.readyWaiters = [];
    for (const run of waiting) run();
  }

  private onClose(): void {
    this.unclosed--;
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => this.unclosed <= w.limit);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => this.unclosed > w.limit);
    for (const w of due) w.run();
  }

  private whenDrained(limit: number, run: () => void): void {
    if (this.unclosed <= limit) run();
    else this.waiters.push({ limit, run });
  }

  private fail(err: unknown, s: RotatorStream | undefined): void {
    this.o.faults.report(
      'file',
      `cannot write ${this.current}; new records are kept in memory and written when it works again`,
      err,
    );
    // A second error from a stream already given up on (or from one rotated away) changes nothing.
    if (s !== this.stream) return;
    this.stream = undefined;
    this.ready = false;
    if (s !== undefined) s.end();
    const waiting = this.readyWaiters;
    this.readyWaiters = [];
    for (const run of waiting) run();
    if (this.ending) {
      this.dropQueue();
      return;
    }
    // Reopen only after the old streams have closed, so that no earlier line lands after a later one.
    this.retryTimer = setTimeout(() => this.whenDrained(0, () => this.open()), this.o.retryMs);
    this.retryTimer.unref();
  }

  private enqueue(line: string): void {
    if (this.queuedChars + line.length > this.o.maxQueuedChars) {
      this.o.faults.report('queue', 'the queue of unwritten records is full; dropping records');
      return;
    }
    this.queue.push(line);
    this.queuedChars += line.length;
  }

  private dropQueue(): void {
    if (this.queue.length === 0) return;
    this.o.faults.report('lost', `closed with ${this.queue.length} record(s) that could not be written`);
    this.queue = [];
    this.queuedChars = 0;
  }
}

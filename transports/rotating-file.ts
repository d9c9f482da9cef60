import * as fs from 'node:fs';
import { basename, resolve } from 'node:path';
import Transport from 'winston-transport';
import type { TransformableInfo } from 'logform';
import { ConfigError } from '../src/errors';
import { LINE_SINK, SYNC_LOG } from '../src/record/direct-write';
import { FaultReporter } from './shared/report-fault';
import { BatchFileWriter, type FileTransportStats } from './shared/batch-file-writer';
import {
  DEFAULT_BUFFER_SIZE,
  FILE_BASE_KEYS,
  gzipRotator,
  lineOf,
  OptionChecker,
} from './shared/file-options';
import type { FileTransportBaseOptions } from './shared/file-options';
import { registerTransport } from './shared/transport-registry';

/** Options for {@link RotatingFileTransport}. Names follow CPython's `RotatingFileHandler`. */
export interface RotatingFileTransportOptions extends FileTransportBaseOptions {
  /**
   * Roll over before a record when the file is not empty and `size + recordBytes >= maxBytes`.
   * 0 never rolls over.
   * @defaultValue 0
   */
  maxBytes?: number;
  /**
   * How many backups to keep (`app.log.1` newest … `app.log.N` oldest). 0 never rolls over.
   * @defaultValue 0
   */
  backupCount?: number;
  /**
   * `'a'` appends; `'w'` truncates on the first open. As in CPython, `maxBytes > 0` forces `'a'`.
   * @defaultValue 'a'
   */
  mode?: 'a' | 'w';
  /**
   * Several processes may write this file: every batch is written under a lock file (`<filename>.lock`),
   * after re-reading the file's identity and size from disk, so rotation happens once per threshold.
   * @defaultValue false
   */
  multiprocess?: boolean;
  /**
   * Multiprocess mode: a lock held longer than this is taken over (reported once on `'warn'`). A writer
   * holds the lock for one batch (well under a millisecond), so only a stopped, hung or crashed holder —
   * or one on another host — reaches it. Locks of dead or reused pids (same host) and empty lock files
   * (older than 1 s) are taken over at once.
   * @defaultValue 10000
   */
  lockStaleMs?: number;
}

/** Every option name (the compiler rejects a key missing here); anything else is a ConfigError. */
const OPTION_KEYS = {
  ...FILE_BASE_KEYS,
  maxBytes: true,
  backupCount: true,
  mode: true,
  multiprocess: true,
  lockStaleMs: true,
} as const satisfies Record<keyof RotatingFileTransportOptions, true>;

/**
 * CPython's `RotatingFileHandler` as a winston transport: `app.log` is the live file, `app.log.1` the
 * newest backup. Rotation happens **before** the record that would reach `maxBytes` (counted in bytes),
 * never inside a record; the size comes from the file on disk, so restarts continue where they were.
 *
 * Records are queued and written in batches (one `write(2)` per batch). {@link flush} resolves when the
 * file has every record accepted so far; `logger.end()` emits `'finish'` only after that.
 *
 * Events: `'rotate'(source, dest)` after each rollover, `'new'(filename)` when a file is opened,
 * `'logged'(info)` per accepted record, `'warn'(Error)` once per fault (never `'error'`).
 *
 * @example
 * ```ts
 * const logger = winston.createLogger({
 *   format: pythonFormat({ format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' }),
 *   transports: [new RotatingFileTransport({ filename: 'app.log', maxBytes: 1024 * 1024, backupCount: 3 })],
 * });
 * ```
 */
export class RotatingFileTransport extends Transport {
  /** Absolute path of the live file. */
  readonly filename: string;
  /** Bytes at which the file rolls over (0: never). */
  readonly maxBytes: number;
  /** Number of backups kept (0: never rolls over). */
  readonly backupCount: number;
  private readonly terminator: string;
  private readonly namer: ((name: string) => string) | undefined;
  private readonly rotator: ((source: string, dest: string) => void) | undefined;
  private readonly writer: BatchFileWriter;

  constructor(options: RotatingFileTransportOptions) {
    super(options);
    const opts: Partial<RotatingFileTransportOptions> = options ?? {};
    const c = new OptionChecker('RotatingFileTransport');
    c.known(opts, OPTION_KEYS);
    c.check(
      typeof opts.filename === 'string' && opts.filename !== '',
      'filename',
      opts.filename,
      'expected a non-empty path',
    );
    c.count('maxBytes', opts.maxBytes);
    c.count('backupCount', opts.backupCount);
    const encoding = c.encoding(opts.encoding);
    c.check(
      opts.mode === undefined || opts.mode === 'a' || opts.mode === 'w',
      'mode',
      opts.mode,
      "expected 'a' or 'w'",
    );
    c.flag('delay', opts.delay);
    c.check(
      opts.fileMode === undefined ||
        (Number.isInteger(opts.fileMode) && opts.fileMode >= 0 && opts.fileMode <= 0o7777),
      'fileMode',
      opts.fileMode,
      'expected permission bits such as 0o644',
    );
    c.check(
      opts.terminator === undefined || typeof opts.terminator === 'string',
      'terminator',
      opts.terminator,
      'expected a string',
    );
    c.flag('gzip', opts.gzip);
    c.fn('namer', opts.namer);
    c.fn('rotator', opts.rotator);
    c.check(
      !(opts.gzip === true && opts.rotator !== undefined),
      'gzip',
      opts.gzip,
      'gzip cannot be combined with a custom rotator',
    );
    c.flag('multiprocess', opts.multiprocess);
    c.check(
      !(opts.multiprocess === true && opts.mode === 'w'),
      'mode',
      opts.mode,
      "multiprocess mode appends; 'w' would let each process truncate the others' lines",
    );
    c.count('bufferSize', opts.bufferSize, 1);
    c.count('maxQueuedBytes', opts.maxQueuedBytes, 1);
    c.count('maxQueuedRecords', opts.maxQueuedRecords, 1);
    c.count('retryInterval', opts.retryInterval, 1);
    c.count('lockStaleMs', opts.lockStaleMs, 1);
    c.flag('faultsToStderr', opts.faultsToStderr);
    if (c.problems.length !== 0) throw new ConfigError(c.problems);
    registerTransport(this); // exit hook: what was accepted is in the file after process.exit()

    this.filename = resolve(opts.filename as string);
    this.maxBytes = opts.maxBytes ?? 0;
    this.backupCount = opts.backupCount ?? 0;
    this.terminator = opts.terminator ?? '\n';
    const gzip = opts.gzip === true;
    const userNamer = opts.namer;
    this.namer = gzip ? (n) => `${userNamer ? userNamer(n) : n}.gz` : userNamer;
    const fileMode = opts.fileMode ?? 0o644;
    this.rotator = gzip ? (source, dest) => gzipRotator(source, dest, fileMode) : opts.rotator;
    const rotates = this.maxBytes > 0 && this.backupCount > 0;
    const faults = new FaultReporter(
      this,
      `RotatingFileTransport(${basename(this.filename)})`,
      opts.faultsToStderr ?? true,
    );
    this.writer = new BatchFileWriter({
      filename: this.filename,
      encoding,
      // CPython: maxBytes > 0 forces append mode.
      truncate: opts.mode === 'w' && this.maxBytes === 0,
      fileMode,
      maxBytes: rotates ? this.maxBytes : 0,
      batchChars: opts.bufferSize ?? DEFAULT_BUFFER_SIZE,
      maxQueuedChars: opts.maxQueuedBytes ?? 8 * 1024 * 1024,
      maxQueuedRecords: opts.maxQueuedRecords ?? 100_000,
      retryMs: opts.retryInterval ?? 1000,
      multiprocess: opts.multiprocess === true,
      lockStaleMs: opts.lockStaleMs ?? 10_000,
      faults,
      rollover: () => this.doRollover(),
      onOpen: (filename) => this.emit('new', filename),
    });
    if (opts.delay !== true) this.writer.openNow();
  }

  /** Queues one record. Never throws. */
  override log(info: TransformableInfo, next?: () => void): void {
    this.writer.push(lineOf(info, this.terminator));
    if (this.listenerCount('logged') !== 0) this.emit('logged', info);
    // winston's legacy callers and abstract-winston-transport call log(info) without a callback.
    next?.();
  }

  /**
   * @internal Where a module logger may put a rendered line directly (see `LINE_SINK`): only while
   * `log` is this class's own and nobody listens to `'logged'`, so skipping `log(info)` is unobservable.
   */
  [LINE_SINK](): ((line: string) => void) | undefined {
    if (this.log !== RotatingFileTransport.prototype.log || this.listenerCount('logged') !== 0)
      return undefined;
    return this.pushLine;
  }

  private readonly pushLine = (line: string): void => {
    this.writer.push(line + this.terminator);
  };

  /**
   * Resolves when every record accepted so far is in the file (the kernel has it). While the file is
   * failing it resolves after one more attempt; the records stay queued for the next retry. In
   * multiprocess mode it waits for the lock without blocking the event loop.
   */
  flush(): Promise<void> {
    return this.writer.whenFlushed();
  }

  /**
   * Synchronous {@link flush}, for `process.on('exit')` where nothing asynchronous runs. In multiprocess
   * mode it waits at most 1 s for another process's lock (sleeping: no event loop is left to wait on).
   */
  flushSync(): void {
    this.writer.flushSync();
  }

  /**
   * Called by the bundle's `process.on('exit')` hook: from then on each record is written before `log()`
   * returns, so records logged by the app's own `'exit'` listeners reach the file.
   */
  processExit(): void {
    this.writer.processExit();
  }

  /** Writes what is queued and closes the file. Idempotent; safe from winston's unpipe hook. */
  override close(): void {
    this.writer.close();
  }

  /** Records dropped because the queue was full while the file could not be written. */
  get droppedRecords(): number {
    return this.writer.stats().dropped;
  }

  /** Counters since the transport was created: received, written, pending, dropped. */
  stats(): FileTransportStats {
    return this.writer.stats();
  }

  /** winston's `logger.end()` waits for `'finish'`, which Node emits only after this calls back. */
  override _final(callback: (error?: Error | null) => void): void {
    void this.writer.whenFlushed().then(() => {
      this.writer.close();
      callback();
    });
  }

  private name(i: number): string {
    const n = `${this.filename}.${i}`;
    return this.namer ? this.namer(n) : n;
  }

  // CPython's doRollover(), file already closed: shift .i -> .i+1 from the top, then live -> .1.
  private doRollover(): void {
    for (let i = this.backupCount - 1; i > 0; i--) {
      const s = this.name(i);
      const d = this.name(i + 1);
      if (fs.existsSync(s)) {
        if (fs.existsSync(d)) fs.unlinkSync(d);
        fs.renameSync(s, d);
      }
    }
    const dest = this.name(1);
    if (fs.existsSync(dest)) fs.unlinkSync(dest);
    if (this.rotator !== undefined) this.rotator(this.filename, dest);
    else if (fs.existsSync(this.filename)) fs.renameSync(this.filename, dest);
    this.emit('rotate', this.filename, dest);
  }
}

// log() queues the line before it returns: a module logger may skip the stream hop (see SYNC_LOG).
Object.defineProperty(RotatingFileTransport.prototype, SYNC_LOG, { value: true });

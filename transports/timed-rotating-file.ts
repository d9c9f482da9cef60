import * as fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Transport from 'winston-transport';
import type { TransformableInfo } from 'logform';
import { ConfigError } from '../src/errors';
import { SYNC_LOG } from '../src/record/direct-write';
import { FaultReporter } from './shared/report-fault';
import { BatchFileWriter, type FileTransportStats } from './shared/batch-file-writer';
import { DatedFiles } from './daily-rotate/dated-files';
import { dailyRotatePattern, type DailyRotatePattern } from './daily-rotate/daily-rotate-pattern';
import {
  DEFAULT_BUFFER_SIZE,
  FILE_BASE_KEYS,
  gzipRotator,
  lineOf,
  OptionChecker,
} from './shared/file-options';
import type { FileTransportBaseOptions } from './shared/file-options';
import { registerTransport } from './shared/transport-registry';

/** A time of day for `when: 'midnight'` / `'W0'`–`'W6'` (CPython's `atTime`). */
export interface TimeOfDay {
  hour: number;
  minute?: number;
  second?: number;
}

/** Options for {@link TimedRotatingFileTransport}. Names follow CPython's `TimedRotatingFileHandler`. */
export interface TimedRotatingFileTransportOptions extends FileTransportBaseOptions {
  /**
   * Interval unit: `'S'` seconds, `'M'` minutes, `'H'` hours, `'D'` days, `'midnight'` (at midnight or
   * `atTime`), `'W0'`–`'W6'` (weekly on that day, 0 = Monday). Case-insensitive.
   * @defaultValue 'H'
   */
  when?: string;
  /** Multiplier of the unit (ignored for `'W0'`–`'W6'` beyond CPython's own use). @defaultValue 1 */
  interval?: number;
  /** Backups to keep; older ones are deleted at each rollover. 0 keeps all. @defaultValue 0 */
  backupCount?: number;
  /** Use UTC for rollover times and backup names instead of local time. @defaultValue false */
  utc?: boolean;
  /** Time of day for `'midnight'` and `'W0'`–`'W6'` rollovers. @defaultValue midnight */
  atTime?: TimeOfDay;
  /** The clock, in milliseconds since the epoch (tests inject one). @defaultValue Date.now */
  now?: () => number;
  /**
   * `'python'`: CPython's layout, the live file keeps its name and backups are renamed after their
   * interval. `'dated'`: winston-daily-rotate-file's layout — every interval is written into its own
   * dated file from the start (`app.log.2026-11-21`, or `%DATE%` placed in `filename`), with DRF's
   * names, audit file, `maxFiles` retention, archives and events; the bundle does the writing (same
   * guarantees as the python layout). W0–W6, `atTime` and intervals that do not divide the clock are
   * rejected there.
   * @defaultValue 'python'
   */
  layout?: 'python' | 'dated';
  /**
   * Several processes may write this file (layout `'python'` only): every batch is written under a lock
   * file (`<filename>.lock`) after re-reading the file by name, and the rollover is carried out under the
   * lock — a process that finds the live file already rotated by another since it last wrote does not
   * rotate it again, and none replaces a backup another process made. Each process decides the rollover
   * time from its own clock, as CPython does; with `'S'`, `'M'` … the boundaries of processes started at
   * different times differ, so a backup may cover a little more or less than one interval — no line is
   * lost, duplicated or torn.
   * @defaultValue false
   */
  multiprocess?: boolean;
  /** Multiprocess mode: a lock held longer than this is taken over (see RotatingFileTransport). @defaultValue 10000 */
  lockStaleMs?: number;
  /** Dated layout: DRF's `maxFiles`, files kept including the live one (`5`) or days (`'14d'`). */
  maxFiles?: number | string;
  /** Dated layout: gzip each finished file (DRF's name for `gzip`, which is accepted too). */
  zippedArchive?: boolean;
  /** Dated layout: keep a symlink to the live file next to it. @defaultValue false */
  createSymlink?: boolean;
  /** Dated layout: the symlink's name. @defaultValue 'current.log' */
  symlinkName?: string;
  /** Dated layout: where DRF records its files for `maxFiles`. @defaultValue `.<basename>-audit.json` beside the log */
  auditFile?: string;
}

/** Every option name (the compiler rejects a key missing here); anything else is a ConfigError. */
const OPTION_KEYS = {
  ...FILE_BASE_KEYS,
  when: true,
  interval: true,
  backupCount: true,
  utc: true,
  atTime: true,
  now: true,
  layout: true,
  maxFiles: true,
  zippedArchive: true,
  createSymlink: true,
  symlinkName: true,
  auditFile: true,
  multiprocess: true,
  lockStaleMs: true,
} as const satisfies Record<keyof TimedRotatingFileTransportOptions, true>;

const DAY = 24 * 60 * 60;

/** Options that only mean something in the dated layout (winston-daily-rotate-file's). */
const DATED_ONLY = ['maxFiles', 'zippedArchive', 'createSymlink', 'symlinkName', 'auditFile'] as const;
/** Options of CPython's layout that DRF's naming cannot honour. */
const PYTHON_ONLY = ['atTime', 'namer', 'rotator'] as const;

// winston-daily-rotate-file refuses these characters; the dated layout keeps its rule so configs stay portable.
// eslint-disable-next-line no-control-regex
const BAD_FILE_CHARS = /["<>|:*?\\/\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const BAD_DIR_CHARS = /["<>|\x00-\x1f]/;

/** What layout `'dated'` passes to {@link DatedFiles} from the options. */
interface DatedOptions {
  filename: string;
  pattern: DailyRotatePattern;
  maxFiles?: number | string;
  zippedArchive: boolean;
  createSymlink: boolean;
  symlinkName?: string;
  auditFile: string;
}

/** Validates the options of layout `'dated'`; returns what the backend needs (meaningless if problems were found). */
function checkDatedOptions(
  c: OptionChecker,
  opts: Partial<TimedRotatingFileTransportOptions>,
  when: string,
): DatedOptions {
  for (const key of PYTHON_ONLY) {
    c.check(
      opts[key] === undefined,
      key,
      opts[key],
      "not supported with layout: 'dated' (winston-daily-rotate-file rotates when the date text changes); use layout 'python'",
    );
  }
  const interval = opts.interval ?? 1;
  const pattern = Number.isSafeInteger(interval) ? dailyRotatePattern(when, interval) : undefined;
  if (pattern !== undefined && 'key' in pattern) {
    c.check(false, pattern.key, pattern.key === 'when' ? opts.when : opts.interval, pattern.allowed);
  }
  const maxFiles = opts.maxFiles;
  c.check(
    maxFiles === undefined ||
      (Number.isSafeInteger(maxFiles) && (maxFiles as number) >= 1) ||
      (typeof maxFiles === 'string' && /^[1-9]\d*d?$/.test(maxFiles)),
    'maxFiles',
    maxFiles,
    "expected a number of files >= 1 or a number of days such as '14d'",
  );
  c.check(
    maxFiles === undefined || opts.backupCount === undefined,
    'backupCount',
    opts.backupCount,
    'cannot be combined with maxFiles (backupCount n keeps n + 1 files, as maxFiles: n + 1 does)',
  );
  c.flag('zippedArchive', opts.zippedArchive);
  c.flag('createSymlink', opts.createSymlink);
  c.check(
    opts.symlinkName === undefined ||
      (typeof opts.symlinkName === 'string' && opts.symlinkName !== '' && !/[\\/]/.test(opts.symlinkName)),
    'symlinkName',
    opts.symlinkName,
    'expected a file name without a directory',
  );
  c.check(
    opts.auditFile === undefined || (typeof opts.auditFile === 'string' && opts.auditFile !== ''),
    'auditFile',
    opts.auditFile,
    'expected a non-empty path',
  );
  const given = typeof opts.filename === 'string' ? resolve(opts.filename) : '';
  const filename = given.includes('%DATE%') ? given : `${given}.%DATE%`;
  c.check(
    given === '' || (!BAD_FILE_CHARS.test(basename(filename)) && !BAD_DIR_CHARS.test(dirname(filename))),
    'filename',
    opts.filename,
    'winston-daily-rotate-file refuses the characters " < > | and control characters, and : * ? in the file name',
  );
  const backups = opts.backupCount ?? 0;
  const keep = maxFiles ?? (backups > 0 ? backups + 1 : undefined);
  return {
    filename,
    pattern:
      pattern !== undefined && !('key' in pattern)
        ? pattern
        : { frequency: 'custom', datePattern: 'YYYY-MM-DD' },
    ...(keep !== undefined ? { maxFiles: keep } : {}),
    zippedArchive: opts.zippedArchive === true || opts.gzip === true,
    createSymlink: opts.createSymlink === true,
    ...(opts.symlinkName !== undefined ? { symlinkName: opts.symlinkName } : {}),
    auditFile: resolve(
      opts.auditFile ?? join(dirname(given), `.${basename(given).replace(/%DATE%/g, '')}-audit.json`),
    ),
  };
}

// CPython's suffixes and backup patterns per `when`.
const UNITS: Record<string, { seconds: number; suffix: string; ext: RegExp }> = {
  S: { seconds: 1, suffix: '%Y-%m-%d_%H-%M-%S', ext: /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}(\.\w+)?$/ },
  M: { seconds: 60, suffix: '%Y-%m-%d_%H-%M', ext: /^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}(\.\w+)?$/ },
  H: { seconds: 3600, suffix: '%Y-%m-%d_%H', ext: /^\d{4}-\d{2}-\d{2}_\d{2}(\.\w+)?$/ },
  D: { seconds: DAY, suffix: '%Y-%m-%d', ext: /^\d{4}-\d{2}-\d{2}(\.\w+)?$/ },
  MIDNIGHT: { seconds: DAY, suffix: '%Y-%m-%d', ext: /^\d{4}-\d{2}-\d{2}(\.\w+)?$/ },
  W: { seconds: 7 * DAY, suffix: '%Y-%m-%d', ext: /^\d{4}-\d{2}-\d{2}(\.\w+)?$/ },
};

interface TimeTuple {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday, as Python's `tm_wday`. */
  wday: number;
  isdst: number;
}

function tuple(t: number, utc: boolean): TimeTuple {
  const d = new Date(t * 1000);
  if (utc) {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      wday: (d.getUTCDay() + 6) % 7,
      isdst: 0,
    };
  }
  const jan = new Date(d.getFullYear(), 0, 1).getTimezoneOffset();
  const jul = new Date(d.getFullYear(), 6, 1).getTimezoneOffset();
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    wday: (d.getDay() + 6) % 7,
    isdst: d.getTimezoneOffset() < Math.max(jan, jul) ? 1 : 0,
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function strftime(fmt: string, tt: TimeTuple): string {
  return fmt.replace(/%([YmdHMS])/g, (_, c: string) => {
    switch (c) {
      case 'Y':
        return String(tt.year).padStart(4, '0');
      case 'm':
        return p2(tt.month);
      case 'd':
        return p2(tt.day);
      case 'H':
        return p2(tt.hour);
      case 'M':
        return p2(tt.minute);
      default:
        return p2(tt.second);
    }
  });
}

/**
 * CPython's `TimedRotatingFileHandler` as a winston transport: the live file keeps its name (`app.log`);
 * at each rollover it is renamed after the start of the interval it covers (`app.log.2026-11-21`,
 * `app.log.2026-11-21_13-05-00` …, CPython's suffixes) and, with `backupCount`, the oldest backups are
 * deleted by CPython's rule. The rollover is decided per record from the clock, before the record is
 * written. `logger.end()` → `'finish'` only after every record is in the file.
 *
 * Events (same names and arguments as winston-daily-rotate-file's): `'new'(filename)`,
 * `'rotate'(oldFilename, newFilename)`, `'archive'(gzFilename)` with `gzip`, `'logRemoved'(filename)`,
 * plus `'logged'(info)` and `'warn'(Error)`.
 *
 * @example
 * ```ts
 * new TimedRotatingFileTransport({ filename: 'app.log', when: 'midnight', backupCount: 7 });
 * ```
 */
export class TimedRotatingFileTransport extends Transport {
  /** Absolute path of the live file. */
  readonly filename: string;
  /** Upper-cased `when`. */
  readonly when: string;
  /** Rollover interval in seconds. */
  readonly interval: number;
  /** Number of backups kept (0: all). */
  readonly backupCount: number;
  private readonly utc: boolean;
  private readonly atTime: TimeOfDay | undefined;
  private readonly dayOfWeek: number;
  private readonly suffix: string;
  private readonly extMatch: RegExp;
  private readonly terminator: string;
  private readonly gzip: boolean;
  private readonly namer: ((name: string) => string) | undefined;
  private readonly rotator: ((source: string, dest: string) => void) | undefined;
  private readonly now: () => number;
  private readonly multiprocess: boolean;
  private readonly writer: BatchFileWriter;
  /** Set in layout `'dated'`: names, audit, archives of the dated files. */
  private readonly dated: DatedFiles | undefined;
  /** Layout `'dated'`: the file the next record goes to, and when to look at the clock again. */
  private datedName = '';
  private datedCheckAt = 0;
  private datedOpened = false;
  /** Next rollover time, in whole seconds since the epoch (CPython's `rolloverAt`). */
  private rolloverAt: number;

  constructor(options: TimedRotatingFileTransportOptions) {
    super(options);
    const opts: Partial<TimedRotatingFileTransportOptions> = options ?? {};
    const c = new OptionChecker('TimedRotatingFileTransport');
    c.known(opts, OPTION_KEYS);
    c.check(
      typeof opts.filename === 'string' && opts.filename !== '',
      'filename',
      opts.filename,
      'expected a non-empty path',
    );
    const when = typeof opts.when === 'string' ? opts.when.toUpperCase() : opts.when === undefined ? 'H' : '';
    const unitKey = /^W[0-6]$/.test(when) ? 'W' : when;
    const unit = UNITS[unitKey];
    c.check(
      unit !== undefined,
      'when',
      opts.when,
      "expected 'S', 'M', 'H', 'D', 'midnight' or 'W0'..'W6' (0 = Monday)",
    );
    c.count('interval', opts.interval, 1);
    c.count('backupCount', opts.backupCount);
    c.flag('utc', opts.utc);
    const at = opts.atTime;
    c.check(
      at === undefined ||
        (typeof at === 'object' &&
          at !== null &&
          Number.isInteger(at.hour) &&
          at.hour >= 0 &&
          at.hour < 24 &&
          (at.minute === undefined || (Number.isInteger(at.minute) && at.minute >= 0 && at.minute < 60)) &&
          (at.second === undefined || (Number.isInteger(at.second) && at.second >= 0 && at.second < 60))),
      'atTime',
      at,
      'expected { hour: 0-23, minute?: 0-59, second?: 0-59 }',
    );
    const encoding = c.encoding(opts.encoding);
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
    c.fn('now', opts.now);
    c.check(
      !(opts.gzip === true && opts.rotator !== undefined),
      'gzip',
      opts.gzip,
      'gzip cannot be combined with a custom rotator',
    );
    c.count('bufferSize', opts.bufferSize, 1);
    c.count('maxQueuedBytes', opts.maxQueuedBytes, 1);
    c.count('maxQueuedRecords', opts.maxQueuedRecords, 1);
    c.count('retryInterval', opts.retryInterval, 1);
    c.flag('faultsToStderr', opts.faultsToStderr);
    c.flag('multiprocess', opts.multiprocess);
    c.count('lockStaleMs', opts.lockStaleMs, 1);
    c.check(
      !(opts.multiprocess === true && opts.layout === 'dated'),
      'multiprocess',
      opts.multiprocess,
      "not supported with layout: 'dated' (its archives and retention are not shared safely between processes); use layout 'python', or one file per process",
    );
    c.check(
      opts.layout === undefined || opts.layout === 'python' || opts.layout === 'dated',
      'layout',
      opts.layout,
      "expected 'python' or 'dated'",
    );
    const datedOptions = opts.layout === 'dated' ? checkDatedOptions(c, opts, when) : undefined;
    if (opts.layout !== 'dated') {
      for (const key of DATED_ONLY) {
        c.check(opts[key] === undefined, key, opts[key], "only allowed with layout: 'dated'");
      }
    }
    if (c.problems.length !== 0 || unit === undefined) throw new ConfigError(c.problems);
    registerTransport(this); // exit hook: what was accepted is in the file after process.exit()

    this.filename = resolve(opts.filename as string);
    this.when = when;
    this.interval = unit.seconds * (opts.interval ?? 1);
    this.suffix = unit.suffix;
    this.extMatch = unit.ext;
    this.dayOfWeek = unitKey === 'W' ? Number(when[1]) : -1;
    this.backupCount = opts.backupCount ?? 0;
    this.utc = opts.utc === true;
    this.atTime = opts.atTime;
    this.terminator = opts.terminator ?? '\n';
    this.gzip = opts.gzip === true;
    const userNamer = opts.namer;
    this.namer = this.gzip ? (n) => `${userNamer ? userNamer(n) : n}.gz` : userNamer;
    const fileMode = opts.fileMode ?? 0o644;
    this.rotator = this.gzip ? (source, dest) => gzipRotator(source, dest, fileMode) : opts.rotator;
    this.now = opts.now ?? Date.now;
    this.multiprocess = opts.multiprocess === true;

    const faults = new FaultReporter(
      this,
      `TimedRotatingFileTransport(${basename(this.filename)})`,
      opts.faultsToStderr ?? true,
    );
    const writerOptions = {
      encoding,
      truncate: false,
      fileMode,
      maxBytes: 0,
      batchChars: opts.bufferSize ?? DEFAULT_BUFFER_SIZE,
      maxQueuedChars: opts.maxQueuedBytes ?? 8 * 1024 * 1024,
      maxQueuedRecords: opts.maxQueuedRecords ?? 100_000,
      retryMs: opts.retryInterval ?? 1000,
      multiprocess: opts.multiprocess === true,
      lockStaleMs: opts.lockStaleMs ?? 10_000,
      faults,
    };
    if (datedOptions !== undefined) {
      this.rolloverAt = Number.POSITIVE_INFINITY;
      const dated = new DatedFiles({
        ...datedOptions,
        owner: this,
        faults,
        utc: this.utc,
        fileMode,
        now: this.now,
      });
      this.dated = dated;
      this.datedName = dated.nameAt(this.now());
      this.writer = new BatchFileWriter({
        ...writerOptions,
        filename: this.datedName,
        rolloverAnyFile: true,
        sharedAdvice: 'give each process its own file (the dated layout has no multiprocess mode)',
        rollover: (to) => this.datedRollover(to as string),
        onOpen: (filename) => {
          this.datedOpened = true;
          dated.announce(filename);
        },
      });
      if (opts.delay !== true) this.writer.openNow();
      return;
    }
    this.dated = undefined;

    // CPython: the first rollover is computed from the existing file's mtime, else from now.
    const st = fs.statSync(this.filename, { throwIfNoEntry: false });
    const start = st !== undefined ? Math.floor(st.mtimeMs / 1000) : Math.floor(this.now() / 1000);
    this.rolloverAt = this.computeRollover(start);

    this.writer = new BatchFileWriter({
      ...writerOptions,
      filename: this.filename,
      rolloverOnce: true,
      rollover: (dest) => this.doRollover(dest as string),
      onOpen: (filename) => this.emit('new', filename),
    });
    if (opts.delay !== true) this.writer.openNow();
  }

  /** Queues one record, first marking a rollover if its interval is over. Never throws. */
  override log(info: TransformableInfo, next?: () => void): void {
    const writer = this.writer;
    if (this.dated !== undefined) {
      const now = this.now();
      if (now >= this.datedCheckAt) this.checkDate(now);
    } else {
      const t = Math.floor(this.now() / 1000);
      if (t >= this.rolloverAt) writer.markRollover(this.planRollover(t));
    }
    writer.push(lineOf(info, this.terminator));
    if (this.listenerCount('logged') !== 0) this.emit('logged', info);
    // winston's legacy callers and abstract-winston-transport call log(info) without a callback.
    next?.();
  }

  /**
   * Resolves when every record accepted so far is in the file (see RotatingFileTransport.flush). In
   * layout `'dated'` a `zippedArchive` archive still being written is not waited for (`logger.end()` is).
   */
  flush(): Promise<void> {
    return this.writer.whenFlushed();
  }

  /** Synchronous {@link flush}, for `process.on('exit')`; every layout (the writing is the bundle's). */
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

  /**
   * winston's `logger.end()` waits for `'finish'`, which Node emits only after this calls back: every
   * record is in the file and, in layout `'dated'`, every `zippedArchive` archive is written.
   */
  override _final(callback: (error?: Error | null) => void): void {
    void this.writer
      .whenFlushed()
      .then(() => {
        this.writer.close();
        return this.dated?.whenArchived();
      })
      .then(() => callback());
  }

  /**
   * Layout `'dated'`: the file of `now` by DRF's rule (the date text changed). The clock is read per record
   * but the name is recomputed only once per second (patterns with seconds) or minute (all others).
   */
  private checkDate(now: number): void {
    const dated = this.dated as DatedFiles;
    const name = dated.nameAt(now);
    const step = this.interval < 60 ? 1000 : 60_000;
    this.datedCheckAt = Math.floor(now / step) * step + step;
    if (name === this.datedName) return;
    this.datedName = name;
    // Nothing opened yet (delay): no file to roll over from.
    if (this.datedOpened) this.writer.markRollover(name);
    else this.writer.retarget(name);
  }

  // Layout 'dated': the writer closed the old dated file; it opens `to` next.
  private datedRollover(to: string): void {
    const dated = this.dated as DatedFiles;
    const from = this.writer.currentFile;
    this.writer.retarget(to);
    dated.announce(to);
    dated.rotated(from, to);
  }

  /** CPython's `computeRollover(currentTime)`. */
  private computeRollover(currentTime: number): number {
    let result = currentTime + this.interval;
    if (this.when !== 'MIDNIGHT' && this.dayOfWeek < 0) return result;
    const t = tuple(currentTime, this.utc);
    let currentDay = t.wday;
    const rotateTs =
      this.atTime === undefined
        ? DAY
        : (this.atTime.hour * 60 + (this.atTime.minute ?? 0)) * 60 + (this.atTime.second ?? 0);
    let r = rotateTs - ((t.hour * 60 + t.minute) * 60 + t.second);
    if (r < 0) {
      r += DAY;
      currentDay = (currentDay + 1) % 7;
    }
    result = currentTime + r;
    if (this.dayOfWeek >= 0 && currentDay !== this.dayOfWeek) {
      const daysToWait =
        currentDay < this.dayOfWeek ? this.dayOfWeek - currentDay : 6 - currentDay + this.dayOfWeek + 1;
      let newRolloverAt = result + daysToWait * DAY;
      if (!this.utc) {
        const dstAtRollover = tuple(newRolloverAt, false).isdst;
        if (t.isdst !== dstAtRollover) newRolloverAt += t.isdst === 0 ? -3600 : 3600;
      }
      result = newRolloverAt;
    }
    return result;
  }

  /**
   * The time half of CPython's `doRollover()`, run when the record that triggers it is logged: names the
   * backup after the interval's start and moves `rolloverAt` on. Returns the backup's path.
   */
  private planRollover(currentTime: number): string {
    const dstNow = this.utc ? 0 : tuple(currentTime, false).isdst;
    const start = this.rolloverAt - this.interval;
    let tt = tuple(start, this.utc);
    if (!this.utc && dstNow !== tt.isdst) tt = tuple(start + (dstNow ? 3600 : -3600), false);
    const dfn = `${this.filename}.${strftime(this.suffix, tt)}`;
    let next = this.computeRollover(currentTime);
    while (next <= currentTime) next += this.interval;
    if ((this.when === 'MIDNIGHT' || this.dayOfWeek >= 0) && !this.utc) {
      const dstAtRollover = tuple(next, false).isdst;
      if (dstNow !== dstAtRollover) next += dstNow === 0 ? -3600 : 3600;
    }
    this.rolloverAt = next;
    return this.namer ? this.namer(dfn) : dfn;
  }

  // The file half of CPython's doRollover(), with the file closed.
  private doRollover(dest: string): void {
    if (fs.existsSync(dest)) {
      // Multiprocess (under the lock): another process, whose rollover time differs from ours, already
      // made this interval's backup; replacing it would delete its lines. The live file rolls next time.
      if (this.multiprocess) return;
      fs.unlinkSync(dest);
    }
    if (this.rotator !== undefined) this.rotator(this.filename, dest);
    else if (fs.existsSync(this.filename)) fs.renameSync(this.filename, dest);
    this.emit('rotate', this.filename, dest);
    if (this.gzip) this.emit('archive', dest);
    if (this.backupCount > 0) {
      for (const old of this.filesToDelete()) {
        fs.unlinkSync(old);
        this.emit('logRemoved', old);
      }
    }
  }

  /** CPython's `getFilesToDelete()` (3.11), including its rules for custom namers. */
  private filesToDelete(): string[] {
    const dir = dirname(this.filename);
    const baseName = basename(this.filename);
    const dot = baseName.lastIndexOf('.');
    const n = dot > 0 ? baseName.slice(0, dot) : baseName;
    const e = dot > 0 ? baseName.slice(dot) : '';
    const prefix = `${n}.`;
    const plen = prefix.length;
    const result: string[] = [];
    for (const fileName of fs.readdirSync(dir)) {
      if (this.namer === undefined) {
        if (!fileName.startsWith(baseName)) continue;
      } else if (
        !fileName.startsWith(baseName) &&
        fileName.endsWith(e) &&
        fileName.length > plen + 1 &&
        !/\d/.test(fileName[plen + 1] ?? '')
      ) {
        continue;
      }
      if (fileName.slice(0, plen) === prefix) {
        const parts = fileName.slice(plen).split('.');
        if (parts.some((part) => this.extMatch.test(part))) result.push(join(dir, fileName));
      }
    }
    if (result.length < this.backupCount) return [];
    result.sort();
    return result.slice(0, result.length - this.backupCount);
  }
}

// log() queues the line before it returns: a module logger may skip the stream hop (see SYNC_LOG).
Object.defineProperty(TimedRotatingFileTransport.prototype, SYNC_LOG, { value: true });

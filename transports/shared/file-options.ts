import type Transport from 'winston-transport';
import * as fs from 'node:fs';
import type * as zlib from 'node:zlib';
import { MESSAGE } from 'triple-beam';
import { describeValue } from '../../src/errors';

/**
 * Options every file transport of the bundle shares (RotatingFileTransport, TimedRotatingFileTransport),
 * with CPython's names where CPython has one.
 */
export interface FileTransportBaseOptions extends Transport.TransportStreamOptions {
  /** Path of the live file (`app.log`); relative paths resolve against `process.cwd()`. */
  filename: string;
  /**
   * File encoding: `utf8`/`utf-8`, `latin1`/`latin-1`, `ascii`, `utf16le`. Sizes are counted in bytes of
   * this encoding.
   * @defaultValue 'utf8'
   */
  encoding?: string;
  /**
   * Open the file with the first record instead of at construction (no record → no file).
   * @defaultValue false
   */
  delay?: boolean;
  /**
   * Permission bits of files this transport creates, before the process umask.
   * @defaultValue 0o644
   */
  fileMode?: number;
  /**
   * Appended to every formatted record.
   * @defaultValue '\n'
   */
  terminator?: string;
  /**
   * Compress backups with gzip (`app.log.1.gz`, `app.log.2026-11-21.gz`), through the `rotator`/`namer`
   * hooks.
   * @defaultValue false
   */
  gzip?: boolean;
  /** CPython's `namer`: maps a default backup name (`/dir/app.log.1`) to the name actually used. */
  namer?: (defaultName: string) => string;
  /**
   * CPython's `rotator`: moves `source` (the live file) to `dest` (the backup), synchronously. It must
   * remove `source`, or every later record rolls over again (as in CPython).
   */
  rotator?: (source: string, dest: string) => void;
  /**
   * Records are written in batches: at the next turn of the event loop, or as soon as this many bytes
   * (counted in UTF-16 characters) are queued. A smaller batch keeps fewer queued lines alive between
   * garbage collections; 64 KiB cost ~20% less CPU per record than 256 KiB in a synchronous burst.
   * @defaultValue 65536 (64 KiB)
   */
  bufferSize?: number;
  /**
   * While the file is failing, up to this many bytes (UTF-16 characters) of records are kept for the
   * retry; newer records are dropped and counted, so a broken disk never stalls the application.
   * @defaultValue 8388608 (8 MiB)
   */
  maxQueuedBytes?: number;
  /**
   * While the file is failing, at most this many records are kept (besides `maxQueuedBytes`); newer
   * records are dropped and counted.
   * @defaultValue 100000
   */
  maxQueuedRecords?: number;
  /**
   * Milliseconds between retries after a failed open, write or rotation.
   * @defaultValue 1000
   */
  retryInterval?: number;
  /** Also print the first report of each fault to stderr (Python's `handleError` does). @defaultValue true */
  faultsToStderr?: boolean;
}

/**
 * Every option name of {@link FileTransportBaseOptions}, winston's own (`TransportStreamOptions`) included;
 * `satisfies` makes the compiler reject a key missing here, so the unknown-option check cannot forget one.
 */
export const FILE_BASE_KEYS = {
  filename: true,
  encoding: true,
  delay: true,
  fileMode: true,
  terminator: true,
  gzip: true,
  namer: true,
  rotator: true,
  bufferSize: true,
  maxQueuedBytes: true,
  maxQueuedRecords: true,
  retryInterval: true,
  faultsToStderr: true,
  format: true,
  level: true,
  silent: true,
  handleExceptions: true,
  handleRejections: true,
  log: true,
  logv: true,
  close: true,
} as const satisfies Record<keyof FileTransportBaseOptions, true>;

/**
 * Options winston users pass to any transport that its types do not list: `name` (winston's own
 * transports take it) and `highWaterMark` (winston-transport hands it to the stream).
 */
const WINSTON_EXTRA_KEYS = ['name', 'highWaterMark'] as const;

/** The default of `bufferSize`: a batch is written once this many characters are queued (64 KiB). */
export const DEFAULT_BUFFER_SIZE = 64 * 1024;

/** Encodings a log file may use, with the spellings Python users write. */
const ENCODINGS: Readonly<Record<string, BufferEncoding>> = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  ascii: 'ascii',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
};

/** Collects option problems so that one ConfigError can name all of them. */
export class OptionChecker {
  readonly problems: string[] = [];

  constructor(private readonly owner: string) {}

  /** Records a problem unless `ok`. */
  check(ok: boolean, key: string, value: unknown, allowed: string): void {
    if (!ok) this.problems.push(`${this.owner}: option "${key}" is ${describeValue(value)}; ${allowed}`);
  }

  /** Checks an optional non-negative integer. */
  count(key: string, value: unknown, min = 0): void {
    this.check(
      value === undefined || (Number.isSafeInteger(value) && (value as number) >= min),
      key,
      value,
      `expected an integer >= ${min}`,
    );
  }

  /** Checks an optional boolean. */
  flag(key: string, value: unknown): void {
    this.check(value === undefined || typeof value === 'boolean', key, value, 'expected true or false');
  }

  /** Checks an optional function. */
  fn(key: string, value: unknown): void {
    this.check(value === undefined || typeof value === 'function', key, value, 'expected a function');
  }

  /**
   * Records a problem for every own key of `opts` that is not in `keys` (the transport's option names,
   * from a `satisfies Record<keyof Options, true>` object) nor one of winston's: a misspelt option would
   * otherwise be ignored silently (`maxbytes` → a file that never rotates). Suggests the right spelling
   * when the key differs only by case.
   */
  known(opts: object, keys: Readonly<Record<string, true>>): void {
    const allowed = [...Object.keys(keys), ...WINSTON_EXTRA_KEYS];
    for (const key of Object.keys(opts)) {
      if (allowed.includes(key)) continue;
      const lower = key.toLowerCase();
      const near = allowed.find((k) => k.toLowerCase() === lower);
      const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
      this.check(
        false,
        key,
        (opts as Record<string, unknown>)[key],
        `unknown option${hint}; allowed: ${allowed.join(', ')}`,
      );
    }
  }

  /** Validates `encoding` and returns Node's name for it. */
  encoding(value: unknown): BufferEncoding {
    const enc = value === undefined ? 'utf8' : ENCODINGS[String(value).toLowerCase()];
    this.check(
      typeof value === 'undefined' || (typeof value === 'string' && enc !== undefined),
      'encoding',
      value,
      `expected one of ${Object.keys(ENCODINGS).join(', ')}`,
    );
    return enc ?? 'utf8';
  }
}

/** The text a transport writes for one record: the formatted `info[MESSAGE]` plus the terminator. */
export function lineOf(info: { message?: unknown; [MESSAGE]?: unknown }, terminator: string): string {
  const formatted = info[MESSAGE];
  if (typeof formatted === 'string') return formatted + terminator;
  try {
    return String(formatted ?? info.message) + terminator;
  } catch {
    // An object whose toString throws is still a record: log what can be said about it.
    return Object.prototype.toString.call(formatted ?? info.message) + terminator;
  }
}

const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Creates `path` for writing with `O_CREAT|O_EXCL|O_NOFOLLOW` and `mode`: never follows a planted
 * symlink, never writes into an existing file. What is already there (a temporary file left by a crash,
 * or a planted link) is unlinked first (unlinking a link removes the link, not its target) and the
 * exclusive create retried once.
 */
export function createExclusive(path: string, mode: number): number {
  const flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
  try {
    return fs.openSync(path, flags, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.unlinkSync(path);
  return fs.openSync(path, flags, mode);
}

/** Writes `data` into a new file made by {@link createExclusive}, then renames it onto `dest` (atomic). */
export function writeFileSafely(dest: string, data: Uint8Array | string, mode: number): void {
  const tmp = `${dest}.tmp`;
  const fd = createExclusive(tmp, mode);
  try {
    fs.writeFileSync(fd, data);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  // rename() replaces a planted link at `dest` itself; it never writes through it.
  fs.renameSync(tmp, dest);
}

/**
 * A rotator that gzips `source` into `dest` and removes `source`. Synchronous like the rest of a
 * rollover: the file is at most `maxBytes`, and CPython's rotators block the same way. The archive is
 * written to `<dest>.tmp` created exclusively without following links, with `fileMode`.
 */
export function gzipRotator(source: string, dest: string, fileMode = 0o644): void {
  // zlib is required here, on the first rollover that compresses, not at import (it costs ~0.7 ms to load).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { gzipSync } = require('node:zlib') as typeof zlib;
  writeFileSafely(dest, gzipSync(fs.readFileSync(source)), fileMode);
  fs.unlinkSync(source);
}

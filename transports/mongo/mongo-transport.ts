import type { TransformableInfo } from 'logform';
import type {
  MongoClientLike as MongoClient,
  MongoClientOptionsLike as MongoClientOptions,
  MongoCollectionLike as Collection,
  MongoDbLike as Db,
  MongoDocument as Document,
  MongoDriverLike,
} from './mongo-driver-types';
import Transport from 'winston-transport';
import { closestName, ConfigError, describeValue } from '../../src/errors';
import { OptionChecker } from '../shared/file-options';
import { FaultReporter } from '../shared/report-fault';
import { MESSAGE } from 'triple-beam';
import { READS_RECORD, SYNC_LOG } from '../../src/record/direct-write';
import { recordContextOf } from '../../src/record/record';
import { levelInfo, toLevelNo } from '../../src/record/levels';
import type { LevelLike } from '../../src/record/levels';
import { DropMarker, MongoBuffer } from './mongo-buffer';
import type { BufferEntry, OverflowPolicy } from './mongo-buffer';
import {
  BSON_LIMIT,
  buildDropMarkerDocument,
  buildFallbackDocument,
  buildSnapshotDocument,
  maxDocumentBytesOf,
} from './mongo-document';
import type { BuildLogDocumentOptions, DropSummary, LogDocument } from './mongo-document';
import { safeKey } from './mongo-sanitise';
import { snapshotRecord } from './mongo-snapshot';
import { watchSplat } from '../../src/record/splat-origin';
import type { RecordSnapshot } from './mongo-snapshot';
import { registerTransport, unregisterTransport } from '../shared/transport-registry';

export type { OverflowPolicy } from './mongo-buffer';
export type { DropSummary, LogDocument } from './mongo-document';

/** Where records go: an app's client, database or collection (or a promise of one). */
export type MongoTarget = MongoClient | Db | Collection | PromiseLike<MongoClient | Db | Collection>;

/** Options for {@link MongoTransport}. */
export interface MongoTransportOptions extends Transport.TransportStreamOptions {
  /**
   * Connection string (`mongodb://…`). The transport then creates, owns and closes its own client,
   * using the app's installed `mongodb` driver. Give either `uri` or `client`.
   */
  uri?: string;
  /**
   * The app's `MongoClient`, `Db` or `Collection` (or a promise of one). The transport never closes it.
   */
  client?: MongoTarget;
  /** Options for the client created from `uri` (merged over `{ serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, maxPoolSize: 2 }`). */
  clientOptions?: MongoClientOptions;
  /** Database name; defaults to the one in the URI or the client's default. */
  dbName?: string;
  /**
   * Collection name (ignored when `client` is a Collection).
   * @defaultValue 'log'
   */
  collection?: string;
  /**
   * Most severe-first winston level name this transport ships.
   * @defaultValue 'error'
   */
  level?: string;
  /** Transport name, the key of its results in `logger.query()`. @defaultValue 'mongodb' */
  name?: string;
  /**
   * Most records per `insertMany`.
   * @defaultValue 500
   */
  batchSize?: number;
  /**
   * Longest time a record below `flushLevel` waits for a batch to fill, in milliseconds.
   * @defaultValue 1000
   */
  flushIntervalMs?: number;
  /**
   * Records at or above this level are sent at once (in the next event-loop turn, so a burst still
   * goes out as one batch); `false` turns this off.
   * @defaultValue 'ERROR'
   */
  flushLevel?: LevelLike | false;
  /**
   * Most records held while the database is slow or unreachable.
   * @defaultValue 10000
   */
  bufferSize?: number;
  /**
   * Most bytes held while the database is slow or unreachable (the records' estimated BSON size); the
   * buffer is full when either bound is reached. Must be at least `maxDocumentBytes` when both are given.
   * @defaultValue 33554432 (32 MiB)
   */
  bufferBytes?: number;
  /**
   * Longest wait for one attempt (connect, setup and `insertMany`) before the server counts as not
   * answering: the fault is reported, the transport's own client is closed and the batch is retried.
   * A hung server (stopped, or a network that drops packets) is thus reported within this time.
   * @defaultValue 5000
   */
  writeTimeoutMs?: number;
  /**
   * What is dropped when the buffer is full; see {@link OverflowPolicy}.
   * @defaultValue 'drop-newest'
   */
  overflow?: OverflowPolicy;
  /** Backoff between attempts while the database is unreachable. @defaultValue `{ initialDelayMs: 250, maxDelayMs: 30000 }` */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Create the collection as capped (`size` in bytes, optional `max` documents). */
  capped?: { size: number; max?: number };
  /** TTL in seconds on `timestamp` (not with `capped`; MongoDB forbids it). */
  expireAfterSeconds?: number;
  /**
   * Create indexes on `timestamp` and `{name, timestamp}`, and on `{levelno, timestamp}` when `level` ships
   * records below ERROR.
   * @defaultValue true
   */
  createIndexes?: boolean;
  /**
   * Key the call's metadata is stored under.
   * @defaultValue 'extra'
   */
  metaKey?: string;
  /**
   * Documents estimated above this size are truncated and marked.
   * @defaultValue 16 MiB − 256 KiB
   */
  maxDocumentBytes?: number;
  /**
   * How long `close()` and `logger.end()` wait for delivery, in milliseconds; also how long the
   * transport keeps delivering at the natural end of the program (when the event loop has nothing else
   * to do) before it gives up, reports on stderr how many records were not stored, and lets the
   * process end.
   * @defaultValue 5000
   */
  closeTimeoutMs?: number;
  /**
   * A client created from `uri` is closed after this many idle milliseconds (and reopened when a record
   * comes), so that scripts can exit; `false` keeps it open until `close()`.
   * @defaultValue 1000
   */
  idleCloseMs?: number | false;
  /**
   * Also print the first report of each fault on stderr (Python's `handleError` does), including what was
   * lost at exit; `false` leaves only the `'warn'` events (as the file transports' option).
   * @defaultValue true
   */
  faultsToStderr?: boolean;
}

/** What {@link MongoTransport.close} reports. */
export interface MongoCloseReport {
  /** Records accepted but not stored when the close timeout passed. */
  pending: number;
  /** Records dropped by the overflow policy over the transport's life. */
  dropped: number;
}

/** Counters of a {@link MongoTransport}. */
export interface MongoTransportStats {
  /** Records the transport accepted from `log()`. */
  received: number;
  /** Records stored (marker documents excluded). */
  stored: number;
  /** Records waiting: buffered plus the batch being sent. */
  pending: number;
  /** Estimated BSON bytes of the records waiting (bounded by `bufferBytes`). */
  pendingBytes: number;
  /** Records dropped by the overflow policy. */
  dropped: number;
  /** Records the server refused even in fallback form, or left pending at close or exit. */
  abandoned: number;
  /** `insertMany` calls that succeeded. */
  batches: number;
}

/** winston's query options, as `logger.query()` passes them. */
export interface MongoQueryOptions {
  /** Earliest `timestamp` (Date, epoch ms or date string). @defaultValue `until` − 24 h */
  from?: Date | number | string;
  /** Latest `timestamp`. @defaultValue now */
  until?: Date | number | string;
  /** Most documents returned (`limit` is an alias). @defaultValue 10 */
  rows?: number;
  limit?: number;
  /** Documents skipped first. @defaultValue 0 */
  start?: number;
  /** Sort on `timestamp`. @defaultValue 'desc' */
  order?: 'asc' | 'desc';
  /** Fields returned: a list of names or a MongoDB projection. */
  fields?: readonly string[] | Record<string, 0 | 1 | boolean>;
  /** Only records of this level (Python or winston name, any case, or a number). */
  level?: LevelLike;
  /** Keep `_id` in the results. @defaultValue false */
  includeIds?: boolean;
}

// A buffered record: its snapshot until the document is built (when its batch is sent, or while the
// batch before it is being inserted), then the document.
interface Entry {
  seq: number;
  bytes: number;
  snap: RecordSnapshot | undefined;
  doc: LogDocument | undefined;
}

interface Batch {
  entries: Array<BufferEntry<Entry>>;
  docs: LogDocument[];
  records: number;
  fallback: boolean;
  /** Records of the batch not stored: unbuildable, or refused even in fallback form (abandoned). */
  lost: number;
}

interface Waiter {
  target: number;
  resolve: (r: { pending: number }) => void;
  timer: NodeJS.Timeout;
}

type InsertOutcome = { done: true } | { done: false; error: unknown };

const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
  'MongoServerClosedError',
]);

const NAMESPACE_EXISTS = 48;
const DUPLICATE_KEY = 11000;
const NOT_IMPLEMENTED = 238;

/**
 * A winston transport that stores records in MongoDB as Python `LogRecord.__dict__`-like documents.
 * `log()` never waits for the database: records go to a bounded buffer and are written with unordered
 * `insertMany` batches (on size, on an interval, and at once for ERROR and above), retried with
 * backoff while the server is down or slow, each stored exactly once and in order. The buffer is bounded
 * in records and bytes. Faults are reported once as `'warn'` (and on stderr), never `'error'`. A client
 * the app passed in is never closed. Nothing of the transport keeps the process alive on its own: at the
 * natural end of the program it delivers for up to `closeTimeoutMs`, then reports what it could not store.
 *
 * @example
 * ```ts
 * const mongo = new MongoTransport({ uri: 'mongodb://127.0.0.1:27017/app', collection: 'errors' });
 * const logger = winston.createLogger({ transports: [new winston.transports.Console(), mongo] });
 * logger.error('Payment failed', { orderId: 42 });
 * await mongo.close(); // waits for delivery (up to closeTimeoutMs)
 * ```
 */
export class MongoTransport extends Transport {
  /** The transport's name: the key of its results in `logger.query()`. */
  readonly name: string;
  private readonly uri: string | undefined;
  private readonly target: MongoTarget | undefined;
  private readonly clientOptions: MongoClientOptions;
  private readonly dbName: string | undefined;
  private readonly collectionName: string;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly flushLevelNo: number;
  private readonly retryInitial: number;
  private readonly retryMax: number;
  private readonly capped: { size: number; max?: number } | undefined;
  private readonly expireAfterSeconds: number | undefined;
  private readonly createIndexes: boolean;
  private readonly closeTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly idleCloseMs: number | false;
  private readonly docOptions: BuildLogDocumentOptions;
  private readonly buffer: MongoBuffer<Entry>;
  private readonly faults: FaultReporter;
  private driver: MongoDriverLike | undefined;

  private ownClient: MongoClient | undefined;
  /** A client from `uri` that is still connecting (closed too when an attempt times out or on close). */
  private connectingClient: MongoClient | undefined;
  private closeDeadline = Infinity;
  private closeWaiter: Waiter | undefined;
  private lingering = false;
  private coll: Collection | undefined;
  private setupDone = false;
  private batch: Batch | undefined;
  private pumping = false;
  private stopped = false;
  private closing: Promise<MongoCloseReport> | undefined;
  private attempt = 0;
  private immediate: NodeJS.Immediate | undefined;
  private prebuildImmediate: NodeJS.Immediate | undefined;
  private readonly maxDocBytes: number;
  private intervalTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private wakeBackoff: (() => void) | undefined;
  private readonly waiters = new Set<Waiter>();
  private received = 0;
  private stored = 0;
  private abandoned = 0;
  private batches = 0;

  constructor(options: MongoTransportOptions) {
    const problems = validateMongoOptions(options);
    if (problems.length > 0) throw new ConfigError(problems);
    super({ ...options, level: options.level ?? 'error' });
    this.name = options.name ?? 'mongodb';
    this.uri = options.uri;
    this.target = options.client;
    this.clientOptions = {
      serverSelectionTimeoutMS: 5000,
      connectTimeoutMS: 5000,
      maxPoolSize: 2,
      ...options.clientOptions,
    };
    this.dbName = options.dbName;
    this.collectionName = options.collection ?? 'log';
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.flushLevelNo =
      options.flushLevel === false
        ? Infinity
        : toLevelNo(options.flushLevel ?? 'ERROR', 'MongoTransport.flushLevel');
    this.retryInitial = options.retry?.initialDelayMs ?? 250;
    this.retryMax = options.retry?.maxDelayMs ?? 30_000;
    this.capped = options.capped;
    this.expireAfterSeconds = options.expireAfterSeconds;
    this.createIndexes = options.createIndexes ?? true;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 5000;
    this.idleCloseMs = options.idleCloseMs ?? 1000;
    this.docOptions = { metaKey: options.metaKey ?? 'extra' };
    const bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_BYTES;
    // A document bigger than the whole buffer could never be held: cap documents to the buffer.
    const maxDoc = options.maxDocumentBytes ?? (bufferBytes < BSON_LIMIT ? bufferBytes : undefined);
    if (maxDoc !== undefined) this.docOptions.maxDocumentBytes = Math.min(maxDoc, bufferBytes);
    this.maxDocBytes = maxDocumentBytesOf(this.docOptions);
    this.buffer = new MongoBuffer<Entry>({
      capacity: options.bufferSize ?? 10_000,
      maxBytes: bufferBytes,
      sizeOf: (e) => e.bytes,
      overflow: options.overflow ?? 'drop-newest',
    });
    if (this.uri !== undefined) this.driver = loadDriver(this.uri);
    this.faults = new FaultReporter(
      this,
      `MongoTransport(${this.databaseLabel()}.${this.collectionName})`,
      options.faultsToStderr ?? true,
    );
    registerTransport(this);
    // The stored message is built from the record: after a logger's splat() it must not merge the
    // arguments again (see watchSplat; pythonFormat does the same).
    watchSplat();
    // A winston logger pipes into its transports and passes an Error logged bare (`logger.error(err)`)
    // as the info itself; the base `_write` copies it for the format with `Object.assign`, which drops
    // its message and stack (not enumerable). Piped transports therefore write through
    // writeCopyingErrors. Set per instance, on pipe only: a module logger never pipes, and its direct
    // path (writeDirect in the logger's dispatch) is only taken while `_write` is the base class's.
    this.once('pipe', () => {
      (this as unknown as { _write: WriteFn })._write = writeCopyingErrors;
    });
  }

  // The database records go to, for fault messages: dbName, else the URI's as the driver parses it
  // (its default 'test' when the URI names none), else that of a Db or Collection given as client.
  private databaseLabel(): string {
    if (this.dbName !== undefined) return this.dbName;
    try {
      if (this.uri !== undefined && this.driver !== undefined) {
        // The constructor only parses: it opens no socket and starts no timer.
        const db = new this.driver.MongoClient(this.uri, this.clientOptions).options?.dbName;
        if (typeof db === 'string' && db !== '') return db;
      }
      const target: unknown = this.target;
      if (isDb(target)) return target.databaseName;
      // The driver's Collection has `dbName` (not in the duck type: other drivers may lack it).
      const collDb = isCollection(target) ? (target as { dbName?: unknown }).dbName : undefined;
      if (typeof collDb === 'string') return collDb;
    } catch {
      // Only a label: the options were validated already.
    }
    return 'default';
  }

  /**
   * Every problem with a set of options (an empty list when they are valid), as the constructor would
   * report them; nothing is connected. `configureLogging` calls it before building any handler.
   */
  static validateOptions(options: unknown): string[] {
    return validateMongoOptions(options);
  }

  /**
   * Accepts a record: takes its snapshot (see {@link RecordSnapshot}: a copy of what the caller could
   * still change), buffers it and returns at once; the document is built later, off the call path.
   * Never throws and never waits for the database.
   */
  override log(info: TransformableInfo, next?: () => void): void {
    let accepted = false;
    try {
      if (this.stopped) {
        this.abandoned++;
        this.faults.report('closed', 'a record arrived after close(); it was not stored');
      } else {
        const snap = snapshotRecord(info);
        const seq = ++this.received;
        let entry: Entry;
        if (snap.bytes <= this.maxDocBytes) {
          entry = { seq, bytes: snap.bytes, snap, doc: undefined };
        } else {
          // Too big to be stored whole: truncated now, so that the buffer holds (and counts) only what
          // will be stored.
          const { doc, bytes } = buildSnapshotDocument(snap, this.docOptions);
          entry = { seq, bytes, snap: undefined, doc };
        }
        const droppedBefore = this.buffer.dropped;
        accepted = this.buffer.push(entry, snap.created);
        if (this.buffer.dropped > droppedBefore) {
          this.faults.report(
            'overflow',
            `buffer full (${this.buffer.pending} records, ${this.buffer.bytes} bytes; bounds ` +
              `${this.buffer.capacity} records, ${this.buffer.maxBytes} bytes); dropping records ` +
              `(overflow policy ${this.buffer.overflow}); the count is reported when the gap is stored`,
          );
        }
        if (snap.levelno >= this.flushLevelNo || this.buffer.queued >= this.batchSize) this.flushSoon();
        else this.armInterval();
      }
    } catch (err) {
      this.abandoned++;
      this.faults.report('build', 'a record could not be turned into a document', err);
    }
    // 'logged' means taken for storage: not for a record refused after close(), dropped by the overflow
    // policy, or that built no document (each of those is counted and reported instead).
    if (accepted) this.emit('logged', info);
    // winston's legacy callers and abstract-winston-transport call log(info) without a callback.
    next?.();
  }

  /**
   * Resolves when every record accepted so far is stored, or when `timeoutMs` passes; `pending` says
   * how many records are still waiting. Cuts a retry backoff short.
   */
  flush(timeoutMs: number = this.closeTimeoutMs): Promise<{ pending: number }> {
    return this.waitFor(timeoutMs);
  }

  // The waiter's timer is the one timer of the transport that keeps the process alive: whoever waits
  // (the app, close(), the natural-end delivery) asked for that time, and it is bounded.
  private waitFor(timeoutMs: number, onWaiter?: (w: Waiter) => void): Promise<{ pending: number }> {
    const target = this.received;
    if (this.settled(target)) return Promise.resolve({ pending: 0 });
    return new Promise((resolve) => {
      const waiter: Waiter = { target, resolve, timer: undefined as unknown as NodeJS.Timeout };
      waiter.timer = setTimeout(() => this.expire(waiter), Math.max(0, timeoutMs));
      this.waiters.add(waiter);
      onWaiter?.(waiter);
      this.wake();
      this.kick();
    });
  }

  private expire(waiter: Waiter): void {
    this.waiters.delete(waiter);
    waiter.resolve({ pending: this.buffer.pending });
  }

  /**
   * Waits for delivery up to `closeTimeoutMs`, then stops; closes the client only when the transport
   * created it (from `uri`). Idempotent: every call returns the same promise. Records still pending
   * are reported in a `'warn'` and in the result.
   */
  // winston calls close() on unpipe and ignores the result; the promise never rejects.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  override close(): Promise<MongoCloseReport> {
    return this.closeWithin(this.closeTimeoutMs);
  }

  /**
   * {@link close} with its own deadline: waits for delivery up to `timeoutMs`, then stops; what is
   * still pending is abandoned, reported (stderr and `'warn'`) and counted in the result. A shorter
   * deadline given while a close runs cuts it short (`shutdown({ timeoutMs })` uses this).
   */
  closeWithin(timeoutMs: number): Promise<MongoCloseReport> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    if (this.closing === undefined) {
      this.closeDeadline = deadline;
      this.closing = this.shutdown();
    } else if (deadline < this.closeDeadline) {
      this.closeDeadline = deadline;
      const w = this.closeWaiter;
      if (w !== undefined) {
        clearTimeout(w.timer);
        w.timer = setTimeout(() => this.expire(w), Math.max(0, deadline - Date.now()));
      }
    }
    return this.closing;
  }

  /**
   * Called by the bundle's `process.on('beforeExit')` hook (the program's own work is done): records
   * still waiting get `closeTimeoutMs` more to be delivered, then the transport closes, reporting what
   * was not stored. Nothing else of the transport keeps the process alive.
   */
  beforeExit(): void {
    if (this.closing !== undefined || this.lingering || this.buffer.pending === 0) return;
    this.lingering = true;
    void this.waitFor(this.closeTimeoutMs).then(({ pending }) => {
      this.lingering = false;
      if (pending > 0) void this.closeWithin(0);
    });
  }

  /**
   * Called by the bundle's `process.on('exit')` hook. A database cannot be written synchronously: this
   * only reports on stderr (once) how many accepted records are lost because the process is ending.
   */
  flushSync(): void {
    if (this.closing !== undefined || this.buffer.pending === 0) return;
    const pending = this.buffer.pending;
    this.abandoned += pending;
    this.faults.report(
      'exit',
      `the process is exiting with ${pending} record(s) not stored; they are lost ` +
        `(await shutdown() or use installExitHandlers({ deferExit: true }) to deliver them before exit)`,
    );
    this.buffer.clear();
  }

  /**
   * winston-transport's `_writev`, with each Error info copied as a piped transport's `_write` does
   * (see the constructor): the base class copies them with `Object.assign` too. A module logger's direct
   * path never comes here, so overriding it on the class costs that path nothing.
   */
  override _writev(
    chunks: Array<{ chunk: unknown; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    const copied = chunks.map((c) =>
      c.chunk instanceof Error ? { ...c, chunk: errorInfoCopy(this, c.chunk) } : c,
    );
    baseWritev.call(this, copied, callback);
  }

  /** `logger.end()` → `'finish'` means every record is stored (or the close timeout passed). */
  override _final(callback: (error?: Error | null) => void): void {
    this.close().then(
      () => callback(),
      () => callback(),
    );
  }

  /** Counters since the transport was created. */
  stats(): MongoTransportStats {
    return {
      received: this.received,
      stored: this.stored,
      pending: this.buffer.pending,
      pendingBytes: this.buffer.bytes,
      dropped: this.buffer.dropped,
      abandoned: this.abandoned,
      batches: this.batches,
    };
  }

  /**
   * winston's query API: records between `from` and `until`, sorted on `timestamp`, paged with
   * `start`/`rows`, optionally of one `level` and projected to `fields`. Returns a promise and also
   * calls `callback` (winston's `logger.query()` passes one).
   */
  query(
    options?: MongoQueryOptions | ((err: Error | null, results?: Document[]) => void),
    callback?: (err: Error | null, results?: Document[]) => void,
  ): Promise<Document[]> {
    let opts: MongoQueryOptions = {};
    let cb = callback;
    if (typeof options === 'function') cb = options;
    else if (options !== undefined) opts = options;
    const run = this.runQuery(opts);
    if (cb !== undefined) {
      const done = cb;
      run.then(
        (docs) => done(null, docs),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    }
    return run;
  }

  private async runQuery(options: MongoQueryOptions): Promise<Document[]> {
    const until = options.until !== undefined ? new Date(options.until) : new Date();
    const from =
      options.from !== undefined ? new Date(options.from) : new Date(until.getTime() - 24 * 3600 * 1000);
    const filter: Document = { timestamp: { $gte: from, $lte: until } };
    if (options.level !== undefined) {
      filter.levelname =
        typeof options.level === 'number'
          ? levelNameOf(options.level)
          : levelInfo(String(options.level)).levelname;
    }
    let projection: Document | undefined;
    const fields = options.fields;
    if (Array.isArray(fields)) {
      projection = {};
      for (const f of fields as readonly string[]) projection[f] = 1;
    } else if (fields !== undefined) {
      projection = { ...(fields as Record<string, 0 | 1 | boolean>) };
    }
    if (options.includeIds !== true && (projection === undefined || !('_id' in projection))) {
      projection = { ...projection, _id: 0 };
    }
    const coll = await this.collection();
    let cursor = coll
      .find(filter)
      .sort({ timestamp: options.order === 'asc' ? 1 : -1, _id: options.order === 'asc' ? 1 : -1 })
      .skip(options.start ?? 0)
      .limit(options.rows ?? options.limit ?? 10);
    if (projection !== undefined) cursor = cursor.project(projection);
    return cursor.toArray();
  }

  private settled(target: number): boolean {
    const oldest = this.buffer.oldest();
    return oldest === undefined || oldest.seq > target;
  }

  private checkWaiters(): void {
    for (const w of this.waiters) {
      if (this.settled(w.target)) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve({ pending: 0 });
      }
    }
  }

  private flushSoon(): void {
    if (this.immediate !== undefined || this.pumping) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.kick();
    });
  }

  private armInterval(): void {
    if (this.intervalTimer !== undefined || this.pumping) return;
    this.intervalTimer = setTimeout(() => {
      this.intervalTimer = undefined;
      this.kick();
    }, this.flushIntervalMs);
    // Records waiting for a batch never keep a finished program alive: the beforeExit hook delivers them.
    this.intervalTimer.unref();
  }

  private kick(): void {
    if (this.pumping || this.stopped) return;
    void this.pump();
  }

  private wake(): void {
    this.attempt = 0;
    const w = this.wakeBackoff;
    this.wakeBackoff = undefined;
    if (w !== undefined) w();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.intervalTimer !== undefined) clearTimeout(this.intervalTimer);
    this.intervalTimer = undefined;
    try {
      while (!this.stopped) {
        if (this.batch === undefined) {
          const entries = this.buffer.take(this.batchSize);
          if (entries === undefined) break;
          this.batch = this.toBatch(entries);
        }
        const attempt = this.attemptWithin(this.batch);
        this.prebuildSoon();
        const outcome = await attempt;
        if (this.stopped) break;
        if (outcome.done) {
          this.completeBatch();
          continue;
        }
        this.faults.report(
          'insert',
          `cannot store records (${this.buffer.pending} waiting); retrying with backoff`,
          outcome.error,
        );
        await this.backoff();
      }
    } finally {
      this.pumping = false;
      this.checkWaiters();
      this.armIdle();
    }
  }

  private toBatch(entries: Array<BufferEntry<Entry>>): Batch {
    const docs: LogDocument[] = [];
    let records = 0;
    let lost = 0;
    for (const e of entries) {
      if (e instanceof DropMarker) {
        docs.push(buildDropMarkerDocument(e));
        continue;
      }
      records++;
      const doc = this.documentOf(e);
      if (doc !== undefined) docs.push(doc);
      else lost++;
    }
    return { entries, docs, records, fallback: false, lost };
  }

  // The entry's document, built from its snapshot on first use. A record whose document cannot be
  // built (no known data does this: the snapshot is storable) is abandoned, counted and reported.
  private documentOf(e: Entry): LogDocument | undefined {
    if (e.doc === undefined && e.snap !== undefined) {
      const snap = e.snap;
      e.snap = undefined;
      try {
        e.doc = buildSnapshotDocument(snap, this.docOptions).doc;
      } catch (err) {
        this.abandoned++;
        this.faults.report('build', 'a record could not be turned into a document', err);
      }
    }
    return e.doc;
  }

  // The next batch's documents are built while this one is being inserted (the server works, Node is
  // idle), after the driver has sent the insert (an immediate runs after its I/O callbacks are queued).
  private prebuildSoon(): void {
    if (this.prebuildImmediate !== undefined) return;
    this.prebuildImmediate = setImmediate(() => {
      this.prebuildImmediate = undefined;
      if (this.stopped) return;
      this.buffer.forEachQueued(this.batchSize, (e) => {
        this.documentOf(e);
      });
    });
  }

  private completeBatch(): void {
    const batch = this.batch;
    this.batch = undefined;
    if (batch === undefined) return;
    this.buffer.commit();
    this.stored += batch.records - batch.lost;
    this.batches++;
    this.attempt = 0;
    this.faults.clear('insert');
    for (const e of batch.entries) {
      if (e instanceof DropMarker) {
        this.faults.clear('overflow');
        this.faults.report(
          'dropped',
          `dropped ${e.count} record(s) while the buffer was full (overflow policy ${e.policy}); ` +
            `a marker document stands in their place`,
        );
        this.faults.clear('dropped');
        const summary: DropSummary = {
          count: e.count,
          firstAt: e.firstAt,
          lastAt: e.lastAt,
          policy: e.policy,
        };
        this.emit('dropped', summary);
      }
    }
    this.checkWaiters();
  }

  private backoff(): Promise<void> {
    const base = Math.min(this.retryMax, this.retryInitial * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const delay = base / 2 + Math.random() * (base / 2);
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.backoffTimer !== undefined) clearTimeout(this.backoffTimer);
        this.backoffTimer = undefined;
        this.wakeBackoff = undefined;
        resolve();
      };
      this.wakeBackoff = done;
      this.backoffTimer = setTimeout(done, delay);
      // A retry never keeps the process alive on its own (see beforeExit for the final delivery).
      this.backoffTimer.unref();
    });
  }

  private armIdle(): void {
    if (this.idleCloseMs === false || this.ownClient === undefined || this.stopped) return;
    if (this.buffer.pending > 0 || this.batch !== undefined) return;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pumping || this.buffer.pending > 0) return;
      void this.dropOwnClient();
    }, this.idleCloseMs);
    // The idle close itself must never keep a finished script alive.
    this.idleTimer.unref();
  }

  // One attempt (connect, setup, insertMany) under the write deadline: a server that does not answer
  // (stopped, or packets dropped) is a transient fault like a refused connection, reported within
  // writeTimeoutMs; the transport's own client is closed so that its sockets are released.
  private async attemptWithin(batch: Batch): Promise<InsertOutcome> {
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const deadline = new Promise<InsertOutcome>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        const err = new Error(`the server did not answer within ${this.writeTimeoutMs} ms (writeTimeoutMs)`);
        err.name = 'MongoOperationTimeoutError';
        resolve({ done: false, error: err });
        void this.dropOwnClient(true);
      }, this.writeTimeoutMs);
      timer.unref();
    });
    const attempt = (async (): Promise<InsertOutcome> => {
      try {
        return await this.insert(await this.collection(), batch, () => !expired);
      } catch (err) {
        return { done: false, error: err };
      }
    })();
    try {
      return await Promise.race([attempt, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  // Closes the transport's own client (never the app's). Waits at most 1 s. `force` is for a server that
  // does not answer: the driver's close() first sends endSessions, which waits for a stopped server
  // for ever, holding its sockets (and so the process); closing the topology as well releases them at
  // once (the server forgets the sessions by itself after 30 minutes).
  private async dropOwnClient(force = false): Promise<void> {
    const clients = [this.ownClient, this.connectingClient].filter((c) => c !== undefined);
    this.ownClient = undefined;
    this.connectingClient = undefined;
    if (this.uri !== undefined) this.coll = undefined;
    if (clients.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const closes = clients.map((c) => {
      const closing = c.close().catch(() => undefined);
      if (force) forceCloseTopology(c);
      return closing;
    });
    await Promise.race([
      Promise.all(closes),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  private async collection(): Promise<Collection> {
    let coll = this.coll;
    let db: Db | undefined;
    if (coll === undefined) {
      if (this.uri !== undefined && this.driver !== undefined) {
        let client = this.ownClient;
        if (client === undefined) {
          const fresh = new this.driver.MongoClient(this.uri, this.clientOptions);
          this.connectingClient = fresh;
          try {
            await fresh.connect();
          } catch (err) {
            if (this.connectingClient === fresh) this.connectingClient = undefined;
            await fresh.close().catch(() => undefined);
            throw err;
          }
          if (this.connectingClient !== fresh || this.stopped) {
            // The attempt timed out (or the transport closed) while connecting: this client is abandoned.
            await fresh.close().catch(() => undefined);
            throw new Error('closed');
          }
          this.connectingClient = undefined;
          this.ownClient = client = fresh;
        }
        db = client.db(this.dbName);
        coll = db.collection(this.collectionName);
      } else {
        const target = await this.target;
        if (isCollection(target)) coll = target;
        else if (isDb(target)) coll = (db = target).collection(this.collectionName);
        else if (isClient(target)) coll = (db = target.db(this.dbName)).collection(this.collectionName);
        else
          throw new Error(`client resolved to ${describeValue(target)}, not a MongoClient, Db or Collection`);
      }
      this.coll = coll;
    }
    if (!this.setupDone) await this.setup(coll, db);
    return coll;
  }

  // Capped collection and indexes, once per transport. Only network trouble is retried: a server that
  // refuses an option (FerretDB has no TTL indexes) gets a warning and the records are stored anyway.
  private async setup(coll: Collection, db: Db | undefined): Promise<void> {
    try {
      if (this.capped !== undefined) {
        if (db === undefined) {
          this.faults.report(
            'setup-capped',
            'capped needs a MongoClient or Db (client is a Collection); not capped',
          );
        } else {
          await db
            .createCollection(this.collectionName, { capped: true, ...this.capped })
            .catch((err: unknown) => {
              if (codeOf(err) !== NAMESPACE_EXISTS) throw err;
            });
        }
      }
      if (this.createIndexes || this.expireAfterSeconds !== undefined) {
        if (this.expireAfterSeconds !== undefined) {
          await coll
            .createIndex(
              { timestamp: 1 },
              { name: 'timestamp_1', expireAfterSeconds: this.expireAfterSeconds },
            )
            .catch(async (err: unknown) => {
              if (codeOf(err) !== NOT_IMPLEMENTED) throw err;
              this.faults.report(
                'setup-ttl',
                'the server does not support TTL indexes; records will not expire',
                err,
              );
              await coll.createIndex({ timestamp: 1 }, { name: 'timestamp_1' });
            });
        } else {
          await coll.createIndex({ timestamp: 1 }, { name: 'timestamp_1' });
        }
        if (this.createIndexes) {
          await coll.createIndex({ name: 1, timestamp: 1 });
          // A level index only pays for itself when the collection holds several levels: on the default
          // errors-only collection it would slow every insert and select almost nothing.
          if (levelInfo(this.level ?? 'error').levelno < 40)
            await coll.createIndex({ levelno: 1, timestamp: 1 });
        }
      }
      this.setupDone = true;
    } catch (err) {
      if (isTransient(err)) throw err;
      this.setupDone = true;
      this.faults.report(
        'setup',
        'could not create the collection options or indexes; storing records anyway',
        err,
      );
    }
  }

  // `current` is false once the attempt's deadline passed: a late answer then changes nothing (the batch
  // is being retried by a newer attempt, which must not see it rewritten or miscounted).
  private async insert(coll: Collection, batch: Batch, current: () => boolean): Promise<InsertOutcome> {
    // Every record of the batch was abandoned at the build: nothing to send (the driver refuses []).
    if (batch.docs.length === 0) return { done: true };
    try {
      await coll.insertMany(batch.docs, { ordered: false });
      return { done: true };
    } catch (err) {
      if (!current()) return { done: false, error: err };
      const writeErrors = writeErrorsOf(err);
      if (writeErrors.length === 0) {
        // A whole-batch duplicate means an earlier attempt stored it before the connection broke.
        if (codeOf(err) === DUPLICATE_KEY) return { done: true };
        // Only a refusal of some document's content is isolated; anything else (a MongoBulkWriteError
        // around a dropped connection, missing rights) is retried whole.
        if (!isDocumentRefusal(err)) return { done: false, error: err };
        return this.isolate(coll, batch, current, err);
      }
      // Unless every document is accounted for (stored or refused one by one), retry the whole batch:
      // the driver assigned each document its _id on the first attempt, so the ones already stored
      // come back as duplicate-key errors and are stored exactly once.
      if (insertedCountOf(err) + writeErrors.length < batch.docs.length) return { done: false, error: err };
      const refused = writeErrors.filter((w) => w.code !== DUPLICATE_KEY);
      if (refused.length === 0) return { done: true };
      if (batch.fallback) {
        this.abandoned += refused.length;
        batch.lost += refused.length;
        this.faults.report(
          'refused',
          `the server refused ${refused.length} record(s) even in fallback form`,
          err,
        );
        return { done: true };
      }
      // Documents the server refuses as they are are stored in a reduced form, then the batch is done.
      const fallbacks: LogDocument[] = [];
      for (const w of refused) {
        const doc = batch.docs[w.index];
        if (doc !== undefined) fallbacks.push(buildFallbackDocument(doc, w.errmsg));
      }
      this.faults.report(
        'refused',
        `the server refused ${refused.length} record(s); storing reduced copies`,
        err,
      );
      batch.docs = fallbacks;
      batch.fallback = true;
      return this.insert(coll, batch, current);
    }
  }

  /**
   * The driver or the server refused a whole batch for some document's content without naming it (the
   * driver's serialiser refuses a value: {@link isDocumentRefusal}): each document is sent alone, and
   * one refused alone is stored as its reduced copy, so that one bad record never holds back the others.
   * When a document alone fails otherwise, or its reduced copy is refused too, the fault is not the
   * document's: the batch is retried with backoff as for a transient fault. Documents stored earlier come back as duplicates (the driver
   * gave each its `_id` on the first attempt), so a retry stores each exactly once.
   */
  private async isolate(
    coll: Collection,
    batch: Batch,
    current: () => boolean,
    first: unknown,
  ): Promise<InsertOutcome> {
    let refused = 0;
    let reason: unknown;
    for (const doc of batch.docs) {
      const err = await insertAlone(coll, doc);
      if (!current()) return { done: false, error: err ?? first };
      if (err === undefined) continue;
      if (!isDocumentRefusal(err)) return { done: false, error: err };
      const fallbackErr = await insertAlone(coll, buildFallbackDocument(doc, refusalText(err)));
      if (!current() || fallbackErr !== undefined) return { done: false, error: fallbackErr ?? err };
      refused++;
      reason ??= err;
    }
    if (refused > 0) {
      this.faults.report(
        'refused',
        `the driver or the server refused ${refused} record(s); storing reduced copies`,
        reason,
      );
    }
    return { done: true };
  }

  private async shutdown(): Promise<MongoCloseReport> {
    const { pending } = await this.waitFor(this.closeDeadline - Date.now(), (w) => (this.closeWaiter = w));
    this.closeWaiter = undefined;
    this.stopped = true;
    unregisterTransport(this);
    for (const t of [this.intervalTimer, this.idleTimer, this.backoffTimer])
      if (t !== undefined) clearTimeout(t);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.prebuildImmediate !== undefined) clearImmediate(this.prebuildImmediate);
    this.wake();
    if (pending > 0) {
      this.abandoned += pending;
      const dropped =
        this.buffer.dropped > 0 ? ` (and ${this.buffer.dropped} dropped earlier by the overflow policy)` : '';
      this.faults.report(
        'close',
        `${pending} record(s) were not delivered before the close deadline; abandoned${dropped}`,
      );
    }
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve({ pending });
    }
    this.waiters.clear();
    this.buffer.clear();
    if (this.uri !== undefined) await this.dropOwnClient(pending > 0);
    return { pending, dropped: this.buffer.dropped };
  }
}

// log() takes its snapshot and queues it before it returns: a module logger may skip the stream hop
// (SYNC_LOG). The document is built from the record, not from a json() line (READS_RECORD).
Object.defineProperty(MongoTransport.prototype, SYNC_LOG, { value: true });
Object.defineProperty(MongoTransport.prototype, READS_RECORD, { value: true });

type WritevFn = (
  chunks: Array<{ chunk: unknown; encoding: BufferEncoding }>,
  callback: (error?: Error | null) => void,
) => void;

// winston-transport's `_writev` (records buffered behind a write in progress, or while corked).
const baseWritev = (Transport.prototype as unknown as { _writev: WritevFn })._writev;

type WriteFn = (
  info: TransformableInfo,
  enc: BufferEncoding,
  callback: (error?: Error | null) => void,
) => void;

// winston-transport's `_write`, as the prototype chain has it (the override is per instance).
const baseWrite = (Transport.prototype as unknown as { _write: WriteFn })._write;

/**
 * winston-transport's `_write`, given a copy of an Error info that keeps what the base class's copy
 * drops: its message, and its record context (the Error itself as `exc_info`, with its stack). Without
 * a format of the transport's own, the line the logger's format rendered is kept only if it shows the
 * error's message: `json()`, winston's default, saw none and rendered `{"level":"error"}`; the stored
 * message is then the error's message (`msg % args`), as for a module logger's record.
 */
function writeCopyingErrors(
  this: MongoTransport,
  info: TransformableInfo,
  enc: BufferEncoding,
  callback: (error?: Error | null) => void,
): void {
  baseWrite.call(this, info instanceof Error ? errorInfoCopy(this, info) : info, enc, callback);
}

function errorInfoCopy(t: MongoTransport, err: Error): TransformableInfo {
  // Caches the context on the Error under a registered symbol, which the copies below carry along.
  recordContextOf(err as unknown as TransformableInfo);
  const copy = Object.assign({}, err, { message: err.message }) as unknown as TransformableInfo;
  const line = (copy as Record<symbol, unknown>)[MESSAGE];
  if (t.format === undefined && typeof line === 'string' && !line.includes(err.message)) {
    delete (copy as Record<symbol, unknown>)[MESSAGE];
  }
  return copy;
}

/**
 * Closes a client's connections and monitors at once (the driver's internal topology; guarded, since it
 * is not public API): called right after `close()` started, which already closed the checked-out
 * connections, so that nothing waits for a server that does not answer.
 */
function forceCloseTopology(client: MongoClient): void {
  try {
    const topology = (client as unknown as { topology?: { close?: () => void } }).topology;
    if (typeof topology?.close === 'function') topology.close();
  } catch {
    // Best effort: the polite close() still runs.
  }
}

function loadDriver(uri: string): MongoDriverLike {
  try {
    // The app's own driver (an optional peer dependency), loaded only when a uri asks for a client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('mongodb') as MongoDriverLike;
  } catch (err) {
    throw new ConfigError(
      `MongoTransport.uri: ${describeValue(uri)} needs the "mongodb" package, which is not installed ` +
        `(${err instanceof Error ? err.message.split('\n')[0] : String(err)}); run \`npm install mongodb\` ` +
        'or pass `client`: an existing MongoClient, Db or Collection',
    );
  }
}

/** Duck-typing across driver copies and versions: an object with method `fn` and string property `prop`. */
function looksLike(v: unknown, fn: string, prop: string): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o[fn] === 'function' && (prop === '' || typeof o[prop] === 'string');
}

function isCollection(v: unknown): v is Collection {
  return looksLike(v, 'insertMany', 'collectionName');
}

function isDb(v: unknown): v is Db {
  return looksLike(v, 'collection', 'databaseName');
}

function isClient(v: unknown): v is MongoClient {
  return looksLike(v, 'db', '') && looksLike(v, 'connect', '');
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(err.name)) return true;
  const labelled = err as { hasErrorLabel?: (label: string) => boolean };
  try {
    return typeof labelled.hasErrorLabel === 'function' && labelled.hasErrorLabel('RetryableWriteError');
  } catch {
    return false;
  }
}

function writeErrorsOf(err: unknown): Array<{ index: number; code: unknown; errmsg: string }> {
  if (typeof err !== 'object' || err === null) return [];
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.map((w) => {
    const x = w as { index?: unknown; code?: unknown; errmsg?: unknown };
    return {
      index: typeof x.index === 'number' ? x.index : -1,
      code: x.code,
      errmsg: typeof x.errmsg === 'string' ? x.errmsg : 'refused by the server',
    };
  });
}

// What the driver's bson serialiser throws for a value it cannot store (bson 5 to 7).
const BSON_ERROR_NAMES = new Set(['BSONError', 'BSONVersionError', 'BSONOffsetError']);
// Server codes that refuse a document for its content: BadValue, InvalidBSON, DollarPrefixedFieldName,
// InvalidDBRef, DottedFieldName, BSONObjectTooLarge.
const DOCUMENT_CODES = new Set([2, 22, 52, 55, 57, 10334]);

/**
 * Whether a refusal without writeErrors is about a document's content (isolating the document helps),
 * rather than the connection, the rights or the collection (retrying the whole batch does).
 */
function isDocumentRefusal(err: unknown): boolean {
  if (!(err instanceof Error) || isTransient(err)) return false;
  if (BSON_ERROR_NAMES.has(err.name)) return true;
  const code = codeOf(err);
  return typeof code === 'number' && DOCUMENT_CODES.has(code);
}

/** Inserts one document; returns why it was refused, or undefined when it is stored (or was already). */
async function insertAlone(coll: Collection, doc: LogDocument): Promise<unknown> {
  try {
    await coll.insertMany([doc], { ordered: false });
    return undefined;
  } catch (err) {
    if (codeOf(err) === DUPLICATE_KEY) return undefined;
    const writeErrors = writeErrorsOf(err);
    return writeErrors.length > 0 && writeErrors.every((w) => w.code === DUPLICATE_KEY) ? undefined : err;
  }
}

/** Why a document was refused, as stored in its reduced copy's `unstorable`. */
function refusalText(err: unknown): string {
  const [first] = writeErrorsOf(err);
  if (first !== undefined) return first.errmsg;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function insertedCountOf(err: unknown): number {
  const n = (err as { insertedCount?: unknown; result?: { insertedCount?: unknown } }).insertedCount;
  return typeof n === 'number' ? n : 0;
}

function levelNameOf(levelno: number): string {
  return levelInfo(`level ${levelno}`).levelname;
}

/** Every option key {@link MongoTransport} reads (winston's own transport options included). */
const OPTION_KEYS: readonly string[] = [
  'uri',
  'client',
  'clientOptions',
  'dbName',
  'collection',
  'level',
  'name',
  'batchSize',
  'flushIntervalMs',
  'flushLevel',
  'bufferSize',
  'bufferBytes',
  'overflow',
  'retry',
  'capped',
  'expireAfterSeconds',
  'createIndexes',
  'metaKey',
  'maxDocumentBytes',
  'closeTimeoutMs',
  'writeTimeoutMs',
  'idleCloseMs',
  'faultsToStderr',
  'format',
  'silent',
  'handleExceptions',
  'handleRejections',
  'log',
  'logv',
  'close',
];

const DEFAULT_BUFFER_BYTES = 32 * 1024 * 1024;
const DB_NAME = /^[^/\\. "$*<>:|?\0]{1,63}$/;
const DB_NAME_RULE = 'expected a database name of 1-63 characters without / \\ . space " $ * < > : | ?';

/**
 * Every problem with a set of MongoTransport options, each naming the key, the value and what is
 * allowed (the wording of the file transports). The URI and `clientOptions` are checked by the
 * installed driver's own parser (a `MongoClient` is constructed, never connected). Used by the
 * constructor and by `configureLogging` before anything is built.
 */
export function validateMongoOptions(options: unknown): string[] {
  if (typeof options !== 'object' || options === null) {
    return [`MongoTransport: options are ${describeValue(options)}; expected an object with uri or client`];
  }
  const o = options as MongoTransportOptions;
  const c = new OptionChecker('MongoTransport');
  for (const key of Object.keys(o)) {
    if (OPTION_KEYS.includes(key)) continue;
    const near = closestName(key, OPTION_KEYS);
    c.check(
      false,
      key,
      (o as Record<string, unknown>)[key],
      `unknown option${near === undefined ? '' : ` (did you mean "${near}"?)`}; expected one of ${OPTION_KEYS.join(', ')}`,
    );
  }
  if (o.uri === undefined && o.client === undefined) {
    c.check(false, 'uri', undefined, 'expected uri (a mongodb:// connection string) or client');
  } else if (o.uri !== undefined && o.client !== undefined) {
    c.check(false, 'client', '[object]', 'expected uri or client, not both');
  }
  if (o.uri !== undefined) {
    if (typeof o.uri !== 'string' || !/^mongodb(\+srv)?:\/\//.test(o.uri)) {
      c.check(false, 'uri', o.uri, 'expected a connection string starting with mongodb:// or mongodb+srv://');
    } else {
      const parsed = parseWithDriver(o.uri, o.clientOptions);
      if (parsed !== undefined) c.check(false, parsed.key, parsed.value, parsed.allowed);
    }
  }
  if (
    o.client !== undefined &&
    !isClient(o.client) &&
    !isDb(o.client) &&
    !isCollection(o.client) &&
    !isThenable(o.client)
  ) {
    c.check(
      false,
      'client',
      o.client,
      'expected a MongoClient, Db or Collection from the mongodb driver, or a promise of one',
    );
  }
  c.check(
    o.clientOptions === undefined || (typeof o.clientOptions === 'object' && o.clientOptions !== null),
    'clientOptions',
    o.clientOptions,
    'expected an object of MongoClient options',
  );
  c.check(
    o.dbName === undefined || (typeof o.dbName === 'string' && DB_NAME.test(o.dbName)),
    'dbName',
    o.dbName,
    DB_NAME_RULE,
  );
  c.check(
    o.collection === undefined ||
      (typeof o.collection === 'string' &&
        /^[^$\0]{1,255}$/.test(o.collection) &&
        !o.collection.startsWith('system.') &&
        !o.collection.startsWith('.') &&
        !o.collection.endsWith('.')),
    'collection',
    o.collection,
    'expected a collection name of 1-255 characters without $ that does not start with "system." or "."',
  );
  c.check(
    o.name === undefined || (typeof o.name === 'string' && o.name !== ''),
    'name',
    o.name,
    'expected a non-empty string',
  );
  const int = (key: keyof MongoTransportOptions, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    const v: unknown = (o as Record<string, unknown>)[key];
    c.check(
      v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max),
      key,
      v,
      `expected an integer from ${min} to ${max}`,
    );
  };
  int('batchSize', 1, 100_000);
  int('bufferSize', 1);
  int('bufferBytes', 1024);
  int('flushIntervalMs', 0);
  int('closeTimeoutMs', 0);
  int('writeTimeoutMs', 1);
  int('expireAfterSeconds', 0);
  int('maxDocumentBytes', 1024, BSON_LIMIT);
  const numbers = (v: unknown): v is number | undefined => v === undefined || typeof v === 'number';
  if (numbers(o.bufferSize) && numbers(o.batchSize) && (o.bufferSize ?? 10_000) < (o.batchSize ?? 500)) {
    c.check(false, 'bufferSize', o.bufferSize, `expected at least batchSize (${o.batchSize ?? 500})`);
  }
  if (
    typeof o.bufferBytes === 'number' &&
    typeof o.maxDocumentBytes === 'number' &&
    o.bufferBytes < o.maxDocumentBytes
  ) {
    c.check(
      false,
      'bufferBytes',
      o.bufferBytes,
      `expected at least maxDocumentBytes (${o.maxDocumentBytes})`,
    );
  }
  c.check(
    o.idleCloseMs === undefined ||
      o.idleCloseMs === false ||
      (typeof o.idleCloseMs === 'number' && Number.isInteger(o.idleCloseMs) && o.idleCloseMs >= 0),
    'idleCloseMs',
    o.idleCloseMs,
    'expected an integer >= 0 or false',
  );
  if (o.flushLevel !== undefined && o.flushLevel !== false) {
    try {
      toLevelNo(o.flushLevel, 'MongoTransport.flushLevel');
    } catch {
      c.check(
        false,
        'flushLevel',
        o.flushLevel,
        'expected a level name (any case), an integer >= 0 or false',
      );
    }
  }
  c.check(
    o.overflow === undefined || o.overflow === 'drop-newest' || o.overflow === 'drop-oldest',
    'overflow',
    o.overflow,
    "expected 'drop-newest' or 'drop-oldest'",
  );
  c.flag('createIndexes', o.createIndexes);
  c.flag('faultsToStderr', o.faultsToStderr);
  if (o.retry !== undefined) {
    if (typeof o.retry !== 'object' || o.retry === null) {
      c.check(false, 'retry', o.retry, 'expected { initialDelayMs?, maxDelayMs? }');
    } else {
      const { initialDelayMs: i, maxDelayMs: m } = o.retry;
      c.check(
        i === undefined || (typeof i === 'number' && i > 0),
        'retry.initialDelayMs',
        i,
        'expected a number > 0',
      );
      c.check(
        m === undefined || (typeof m === 'number' && m >= (typeof i === 'number' ? i : 250)),
        'retry.maxDelayMs',
        m,
        'expected a number >= retry.initialDelayMs',
      );
    }
  }
  if (o.capped !== undefined) {
    const cap = o.capped as { size?: unknown; max?: unknown } | null;
    if (
      cap === null ||
      typeof cap !== 'object' ||
      typeof cap.size !== 'number' ||
      !Number.isInteger(cap.size) ||
      cap.size < 1
    ) {
      c.check(
        false,
        'capped',
        o.capped,
        'expected { size: bytes (integer >= 1), max?: documents (integer >= 1) }',
      );
    } else {
      c.check(
        cap.max === undefined || (typeof cap.max === 'number' && Number.isInteger(cap.max) && cap.max >= 1),
        'capped.max',
        cap.max,
        'expected an integer >= 1',
      );
    }
    c.check(
      o.expireAfterSeconds === undefined,
      'expireAfterSeconds',
      o.expireAfterSeconds,
      'not allowed together with capped (MongoDB has no TTL on capped collections)',
    );
  }
  c.check(
    o.metaKey === undefined ||
      (typeof o.metaKey === 'string' && o.metaKey !== '' && safeKey(o.metaKey) === o.metaKey),
    'metaKey',
    o.metaKey,
    'expected a non-empty key without "." that does not start with "$"',
  );
  return c.problems;
}

/** Runs the installed driver's own URI and option parser; returns the problem, if any. */
function parseWithDriver(
  uri: string,
  clientOptions: MongoClientOptions | undefined,
): { key: string; value: unknown; allowed: string } | undefined {
  let driver: MongoDriverLike;
  try {
    driver = loadDriver(uri);
  } catch (err) {
    return { key: 'uri', value: uri, allowed: err instanceof Error ? err.message : String(err) };
  }
  try {
    // The constructor parses and validates synchronously; it opens no socket and starts no timer.
    const client = new driver.MongoClient(uri, clientOptions ?? {});
    const db = client.options?.dbName;
    if (typeof db === 'string' && db !== 'test' && !DB_NAME.test(db)) {
      return {
        key: 'uri',
        value: redact(uri),
        allowed: `its database ${describeValue(db)} is not a valid name; ${DB_NAME_RULE}`,
      };
    }
    return undefined;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // The parser does not say whether the URI or clientOptions is at fault; the URI alone tells.
    let uriAlone = true;
    try {
      new driver.MongoClient(uri);
    } catch {
      uriAlone = false;
    }
    return uriAlone
      ? { key: 'clientOptions', value: clientOptions, allowed: `the mongodb driver refuses it (${why})` }
      : {
          key: 'uri',
          value: redact(uri),
          allowed: `the mongodb driver cannot parse it (${why}); expected mongodb://[user:password@]host[:port][/database][?options]`,
        };
  }
}

/** A URI with its password hidden, for error messages. */
function redact(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

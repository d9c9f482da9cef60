import type { Format, TransformableInfo } from 'logform';
import { LEVEL } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { ConfigError, describeValue } from '../errors';
import {
  WINSTON_LEVELS,
  adoptWinstonLevels,
  checkLevelStrict,
  getLevelName,
  isKnownLevel,
  levelInfo,
  levelNoOf,
  toLevelNo,
  winstonLevelName,
} from '../record/levels';
import type { LevelLike } from '../record/levels';
import { PY_RECORD, recordContextOf } from '../record/record';
import type { RecordContext } from '../record/record';
import { addContextFields } from '../context/apply-log-context';
import { logContextStorage } from '../context/log-context-storage';
import { makeCallInfo } from './call-info';
import { applyFilter, callHandlers, reportOnce, usedElsewhere } from './dispatch';
import { bumpGeneration, registry } from './registry';

/**
 * A logger filter, as Python's `Logger.addFilter` takes: a function of the record (the winston info,
 * whose logger name, level and message the bundle's helpers read), an object with `filter(info)`, or a
 * logform format such as `moduleFilter(...)` (a falsy transform result drops the record).
 */
export type LoggerFilter =
  ((info: TransformableInfo) => unknown) | { filter(info: TransformableInfo): unknown } | Format;

/**
 * Options for a module logger (`createModuleLogger(name, options)`): winston's `createLogger` options
 * plus Python's `propagate` and `filters`.
 */
export interface ModuleLoggerOptions {
  /** The logger's own level (Python's `setLevel`); omitted means NOTSET: inherit from the parent. */
  level?: LevelLike;
  /**
   * winston's `levels` table (`{ name: priority }`, lower = more severe). Each name becomes a Python
   * level (known names keep their numbers, new ones are placed between their neighbours, as
   * `addLevelName` would) and gets a method on this logger (`log.trace(...)`).
   */
  levels?: Record<string, number>;
  /** A logform format applied to this logger's own records before any handler sees them (winston's `format`). */
  format?: Format;
  /** Handlers (winston transports) attached to this logger. */
  transports?: Transport | Transport[];
  /** Metadata merged into every record of this logger (winston's `defaultMeta`). */
  defaultMeta?: Record<string, unknown>;
  /** winston's `silent`: drops this logger's own records. */
  silent?: boolean;
  /** winston's `exitOnError` for exceptions handled through this logger. @defaultValue true */
  exitOnError?: boolean | ((err: Error) => boolean);
  /** winston's `exceptionHandlers`: transports that log uncaught exceptions. */
  exceptionHandlers?: Transport | Transport[];
  /** winston's `rejectionHandlers`: transports that log unhandled rejections. */
  rejectionHandlers?: Transport | Transport[];
  /** Python's `propagate`: pass records up to the ancestors' handlers. @defaultValue true */
  propagate?: boolean;
  /** Logger filters (run only for records created by this logger, as in Python). */
  filters?: LoggerFilter[];
}

/** A bundle method with Python's signature: `(msg, ...args)`, also winston's `(infoObject)` and `(msg, meta)`. */
export interface PyLogMethod extends winston.LeveledLogMethod {
  (message?: unknown, ...args: unknown[]): ModuleLogger;
}

/** `is<Level>Enabled()`: whether a record at that level would be created by this logger. */
export type LevelEnabledMethod = () => boolean;

/** `log(level, message, ...args)`: a level name (any case) or a Python level number; also `log(info)`. */
export interface PyLogFunction extends winston.LogMethod {
  (level: LevelLike, message?: unknown, ...args: unknown[]): ModuleLogger;
  (info: TransformableInfo): ModuleLogger;
}

/** @internal Per-logger state, in one object so winston's `child()` loggers (prototype copies) share it. */
export interface LoggerNode {
  name: string;
  level: number;
  eff: number;
  gen: number;
  parent: ModuleLogger | null;
  propagate: boolean;
  disabled: boolean;
  /** Python's handlers: see the records of this logger and of its descendants (while they propagate). */
  handlers: Transport[];
  /**
   * Transports that winston's `configure()` attached for someone else (instrumentation: OpenTelemetry's
   * log sending adds one per winston logger). They see this logger's own records only, so a record is
   * exported once however deep the tree is.
   */
  local: Transport[];
  filters: LoggerFilter[];
  /** The tree's factory, for `getChild`. */
  getLogger: (name: string) => ModuleLogger;
  /** While `configure()` runs: the transports its caller passed (the others were added for someone else). */
  wiring: ReadonlySet<unknown> | undefined;
  /** Whether winston's stream state exists yet (it is built on first use; see `ModuleLogger.create`). */
  stream: boolean;
}

/** The level methods every module logger has (see defineStandardMethods); a `levels` option adds others. */
const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'critical',
  'fatal',
  'error',
  'warning',
  'warn',
  'info',
  'http',
  'verbose',
  'debug',
  'silly',
  'exception',
  'log',
]);

// winston wraps winston@2 transports (`log(level, msg, meta, cb)`) in this stream; so does add().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LegacyTransportStream = require('winston-transport/legacy') as new (options: {
  transport: unknown;
}) => Transport;
const INIT: unique symbol = Symbol('winston-pylogging.init');
const NO_ARGS: readonly unknown[] = Object.freeze([]);
const NO_WIRING: ReadonlySet<unknown> = new Set();
// winston's configure() would build a json() format (≈6 µs) for every logger; the logger's real format
// is set right after, so a shared stand-in is passed instead.
const STAND_IN_FORMAT: Format = { transform: (info: TransformableInfo) => info };
const LOGGER_PROTO = winston.Logger.prototype as unknown as { write: (...a: unknown[]) => boolean };
const STREAM_WRITE = (Object.getPrototypeOf(winston.Logger.prototype) as { write: unknown }).write;

/**
 * A real winston logger (`instanceof winston.Logger`; winston's API, its levels and its formats work on
 * it) with Python's logging model: a dotted name in the logger tree, its own level or NOTSET (inherit),
 * handlers (winston transports), `propagate`, logger filters, `disabled`, and Python's propagation rule
 * — a record passed up is checked against each handler's level, never against the ancestors' levels
 * or filters.
 *
 * Every call — level methods, `log()`, `write()`, `child()` loggers, `profile()`, `startTimer()` — goes
 * through winston's `Logger.prototype.write` (so instrumentation that wraps it sees every record), then
 * the logger's `format`, then Python's handler walk. Handlers are written to directly rather than piped,
 * which lets one transport serve many loggers, each with its own level, and lets closing one logger
 * leave a transport that other loggers still use open (winston #1888).
 */
export class ModuleLogger extends winston.Logger {
  /** @internal */
  declare _py: LoggerNode;
  declare critical: PyLogMethod;
  declare fatal: PyLogMethod;
  declare error: PyLogMethod;
  declare warning: PyLogMethod;
  declare warn: PyLogMethod;
  declare info: PyLogMethod;
  declare http: PyLogMethod;
  declare verbose: PyLogMethod;
  declare debug: PyLogMethod;
  declare silly: PyLogMethod;
  /** Logs at ERROR with the error's traceback: `log.exception('Query failed', err)` or `log.exception(err)`. */
  declare exception: PyLogMethod;
  declare log: PyLogFunction;
  declare isCriticalEnabled: LevelEnabledMethod;
  declare isFatalEnabled: LevelEnabledMethod;
  declare isErrorEnabled: LevelEnabledMethod;
  declare isWarningEnabled: LevelEnabledMethod;
  declare isWarnEnabled: LevelEnabledMethod;
  declare isInfoEnabled: LevelEnabledMethod;
  declare isHttpEnabled: LevelEnabledMethod;
  declare isVerboseEnabled: LevelEnabledMethod;
  declare isDebugEnabled: LevelEnabledMethod;
  declare isSillyEnabled: LevelEnabledMethod;

  /** @internal Use `createModuleLogger(name)`; a logger made directly is not part of the tree. */
  constructor(name: string, getLogger: (name: string) => ModuleLogger, options: ModuleLoggerOptions = {}) {
    super({ ...options, [INIT]: { name, getLogger } } as never);
    this._py.stream = true;
  }

  /**
   * @internal How the tree makes its loggers: winston's `configure()` runs as in winston's constructor
   * (instrumentation that wraps it sees every logger), but the stream state winston's constructor builds
   * (≈1.2 kB and most of the cost) is built on first use: a logger that only logs never needs it.
   */
  static create(
    name: string,
    getLogger: (name: string) => ModuleLogger,
    options: ModuleLoggerOptions = {},
  ): ModuleLogger {
    const logger = Object.create(ModuleLogger.prototype) as ModuleLogger;
    logger.configure({ ...options, [INIT]: { name, getLogger } } as ModuleLoggerOptions);
    return logger;
  }

  /**
   * winston's `configure(options)`: (re)sets the logger from winston's options — transports (replacing
   * this logger's), format, defaultMeta, silent, exitOnError, exception and rejection handlers, levels —
   * and Python's level (NOTSET when not given: a module logger inherits), propagate and filters.
   */
  override configure(config: ModuleLoggerOptions | winston.LoggerOptions = {}): void {
    const options = config as ModuleLoggerOptions;
    const init = (options as { [INIT]?: { name: string; getLogger: (n: string) => ModuleLogger } })[INIT];
    if (init !== undefined) {
      const node: LoggerNode = {
        name: init.name,
        level: 0,
        eff: 0,
        gen: -1,
        parent: null,
        propagate: true,
        disabled: false,
        handlers: [],
        local: [],
        filters: [],
        getLogger: init.getLogger,
        wiring: undefined,
        stream: false,
      };
      Object.defineProperty(this, '_py', { value: node, enumerable: false, writable: true });
    }
    if (options === null || typeof options !== 'object') {
      throw new ConfigError(
        `configure: ${describeValue(options)} is not allowed; use winston's logger options`,
      );
    }
    if (options.levels !== undefined) adoptWinstonLevels(options.levels, 'levels');
    const given = transportList(options.transports);
    const n = treeNode(this);
    n.wiring = given.length === 0 ? NO_WIRING : new Set(given);
    try {
      if (init !== undefined && !configureWrapped() && !usesRemovedOptions(options)) {
        // A new logger and nobody wrapped winston's configure(): set what it sets, leaving the exception
        // and rejection handlers to be made on first use (most loggers never need them).
        const w = this as unknown as Record<string, unknown>;
        w.silent = options.silent;
        w.defaultMeta = options.defaultMeta ?? null;
        w.levels = WINSTON_LEVELS;
        w.profilers = {};
        w.exitOnError = options.exitOnError ?? true;
        for (const t of given) this.add(t);
        if (options.exceptionHandlers) this.exceptions.handle(...transportList(options.exceptionHandlers));
        if (options.rejectionHandlers) this.rejections.handle(...transportList(options.rejectionHandlers));
      } else {
        // winston's own configure(): what instrumentation wraps, and winston's checks (the options
        // removed in winston 3) still apply.
        super.configure({
          ...(options as winston.LoggerOptions),
          levels: WINSTON_LEVELS,
          format: STAND_IN_FORMAT,
          transports: [...given],
          exitOnError: options.exitOnError ?? true,
        });
      }
    } finally {
      n.wiring = undefined;
    }
    // No logger format unless given (Python: the handlers format); a transport without a format of its
    // own renders winston's default json() when the record reaches it (see dispatch).
    (this as { format: Format | undefined }).format = options.format;
    if (options.levels !== undefined) this._adoptLevels(options.levels);
    if (init === undefined || options.level !== undefined) this.setLevel(options.level ?? 0);
    if (options.propagate !== undefined) n.propagate = Boolean(options.propagate);
    if (init === undefined) n.filters = [...(options.filters ?? [])];
    else for (const f of options.filters ?? []) this.addFilter(f);
  }

  /**
   * @internal winston's `levels` option: the names become Python levels (see `adoptWinstonLevels`) and
   * methods of this logger (`log.trace(...)`, `log.isTraceEnabled()`).
   */
  _adoptLevels(levels: Record<string, number>): void {
    const custom = adoptWinstonLevels(levels, 'levels');
    defineMethods(
      this,
      [...custom]
        .filter(([name]) => !STANDARD_METHODS.has(name))
        .map(([name, levelno]) => [name, winstonLevelName(levelno), levelno] as const),
    );
  }

  /** The logger's dotted name (`root` for the root logger). */
  get name(): string {
    return this._py.name;
  }

  /** The parent in the tree (nearest existing dotted prefix, else root); null for the root. */
  get parent(): ModuleLogger | null {
    return this._py.parent;
  }

  /** Python's `propagate`. */
  get propagate(): boolean {
    return this._py.propagate;
  }
  set propagate(value: boolean) {
    treeNode(this).propagate = Boolean(value);
  }

  /** Python's `disabled`: drops this logger's own records (not those propagating through it). */
  get disabled(): boolean {
    return this._py.disabled;
  }
  set disabled(value: boolean) {
    treeNode(this).disabled = Boolean(value);
    bumpGeneration();
  }

  /** The handlers (winston transports) attached to this logger, in insertion order. */
  get handlers(): readonly Transport[] {
    return this._py.handlers;
  }

  /** The logger's own level number (0 = NOTSET: inherits). */
  get levelno(): number {
    return this._py.level;
  }

  /**
   * Python's `setLevel`: a name (any case) or number; NOTSET (0) inherits from the parent. Called on a
   * `child()` it sets the shared logger's level, as CPython's `LoggerAdapter.setLevel` does (the child's
   * own level is winston's `child.level = x`).
   */
  setLevel(level: LevelLike): this {
    treeNode(this).level = levelNumber(level, `setLevel(${describeValue(level)})`);
    bumpGeneration();
    return this;
  }

  /** Python's `getEffectiveLevel`: the first non-NOTSET level walking up to the root. */
  getEffectiveLevel(): number {
    for (let c: ModuleLogger | null = this; c !== null; c = c._py.parent) {
      if (c._py.level !== 0) return c._py.level;
    }
    return 0;
  }

  /** Python's `isEnabledFor(level)`. */
  isEnabledFor(level: LevelLike): boolean {
    const n = this._py;
    if (n.gen !== LEVELS_STATE.generation) refresh(this);
    return (typeof level === 'number' ? level : LEVEL_NO_OF(level)) >= n.eff;
  }

  /** winston's `isLevelEnabled(level)` with Python's meaning (the effective level decides). */
  override isLevelEnabled(level: string): boolean {
    try {
      return this.isEnabledFor(level as LevelLike);
    } catch {
      return false;
    }
  }

  /** Python's `getChild(suffix)`: the logger named `<this name>.<suffix>`. */
  getChild(suffix: string): ModuleLogger {
    return this._py.getLogger(this === registry.root ? suffix : `${this._py.name}.${suffix}`);
  }

  /** Python's `addHandler`: attaches a winston transport (an exact duplicate is ignored). */
  addHandler(transport: Transport): this {
    return this.add(transport);
  }

  /** Python's `removeHandler`: detaches a transport without closing it. */
  removeHandler(transport: Transport): this {
    return this.remove(transport);
  }

  /** Python's `hasHandlers`: is there a handler on this logger or an ancestor reached by propagation? */
  hasHandlers(): boolean {
    for (let c: ModuleLogger | null = this; c !== null; c = c._py.parent) {
      if (c._py.handlers.length > 0) return true;
      if (!c._py.propagate) break;
    }
    return false;
  }

  /** Python's `addFilter`. */
  addFilter(filter: LoggerFilter): this {
    if (!this._py.filters.includes(filter)) this._py.filters.push(filter);
    return this;
  }

  /** Python's `removeFilter`. */
  removeFilter(filter: LoggerFilter): this {
    const i = this._py.filters.indexOf(filter);
    if (i !== -1) this._py.filters.splice(i, 1);
    return this;
  }

  /**
   * winston's `add`, without piping: the transport is written to directly and may be shared. A
   * transport with winston 2's `log(level, msg, meta, cb)` is wrapped as winston wraps it. The
   * transport's `'warn'` is re-emitted on this logger, its `'error'` too when this logger has an
   * `'error'` listener (otherwise it is reported once on stderr: a failing transport never crashes the app).
   */
  override add(transport: Transport): this {
    const n = this._py;
    const t = transport as Transport & { levels?: unknown; log?: { length: number } };
    if (t === null || typeof t !== 'object') {
      throw new ConfigError(
        `${n.name}.add: invalid transport ${describeValue(transport)}; use a winston transport (an objectMode Writable such as new winston.transports.Console())`,
      );
    }
    const isStream =
      t !== null &&
      typeof t === 'object' &&
      typeof (t as { pipe?: unknown }).pipe === 'function' &&
      typeof (t as { write?: unknown }).write === 'function';
    const target = (
      !isStream || (typeof t.log === 'function' && t.log.length > 2)
        ? new LegacyTransportStream({ transport: t })
        : t
    ) as Transport & { levels?: unknown; _writableState?: { objectMode?: boolean } };
    if (!target._writableState?.objectMode) {
      throw new ConfigError(
        `${n.name}.add: ${describeValue(transport)} is not allowed; use a winston transport (an objectMode Writable such as new winston.transports.Console())`,
      );
    }
    if (n.handlers.includes(target) || n.local.includes(target)) return this;
    // Transports compare levels through `this.levels`, which winston normally sets on pipe.
    target.levels ??= WINSTON_LEVELS;
    const local = n.wiring !== undefined && !n.wiring.has(transport);
    if (local) n.local.push(target);
    else n.handlers.push(target);
    this.watch(target);
    if (target.handleExceptions) this.exceptions.handle();
    if (target.handleRejections) this.rejections.handle();
    if (!local) registry.configured = true;
    return this;
  }

  /** winston's `remove`: detaches without closing (the transport may serve other loggers). */
  override remove(transport: Transport): this {
    const n = this._py;
    for (const list of [n.handlers, n.local]) {
      const i = list.findIndex(
        (h) => h === transport || (h as { transport?: unknown }).transport === transport,
      );
      if (i === -1) continue;
      const [h] = list.splice(i, 1) as [Transport];
      this.unwatch(h);
    }
    return this;
  }

  /** winston's `clear`: detaches every transport of this logger. */
  override clear(): this {
    const n = this._py;
    for (const h of [...n.handlers, ...n.local]) this.unwatch(h);
    n.handlers.length = 0;
    n.local.length = 0;
    return this;
  }

  /**
   * winston's `close`: detaches this logger's transports, ends those that no other logger uses, and
   * emits `'close'`. Unlike winston, the logger itself stays usable (a module logger is shared by name):
   * records logged later go to whatever handlers it has then.
   */
  override close(): this {
    this.exceptions.unhandle();
    this.rejections.unhandle();
    const list = [...this._py.handlers, ...this._py.local];
    this.clear();
    for (const t of list) if (!usedElsewhere(t)) (t as { close?: () => void }).close?.();
    this.emit('close');
    return this;
  }

  /**
   * winston's stream `_final` (runs on `logger.end()`): ends the transports no other logger uses and
   * waits for their `'finish'` (at once for one that already finished); shared ones are only flushed.
   */
  override _final(callback: (error?: Error | null) => void): void {
    const list = [...this._py.handlers, ...this._py.local];
    Promise.all(
      list.map(async (t) => {
        if (usedElsewhere(t, this)) {
          await (t as { flush?: () => Promise<unknown> }).flush?.();
          return;
        }
        const state = (t as unknown as { _writableState?: { finished?: boolean; ended?: boolean } })
          ._writableState;
        if (state?.finished === true || t.destroyed) return;
        await new Promise<void>((resolve) => {
          t.once('finish', () => resolve());
          t.once('close', () => resolve());
          t.once('error', () => resolve());
          if (state?.ended !== true) t.end();
        });
      }),
    ).then(
      () => callback(),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /**
   * winston's `write(info)`: the one door every record goes through. When instrumentation has wrapped
   * `winston.Logger.prototype.write`, the record goes through the wrapper and winston's stream machinery;
   * otherwise straight to {@link ModuleLogger._transform}'s work, without a stream hop. A write after
   * `end()` is reported once and dropped (winston would crash the app with an unhandled 'error').
   */
  override write(chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
    if (this._py.stream && streamOf(this)._writableState.ending === true) {
      reportOnce(this, `a record reached logger "${this._py.name}" after logger.end(); it was dropped`);
      return false;
    }
    if (LOGGER_PROTO.write !== STREAM_WRITE) return LOGGER_PROTO.write.call(this, chunk, encodingOrCb, cb);
    if (chunk !== null && typeof chunk === 'object') this._accept(chunk as TransformableInfo);
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  }

  /** winston's stream `_transform`, reached when instrumentation wrapped `write`. */
  override _transform(info: unknown, _enc: unknown, callback: (err?: Error | null) => void): void {
    try {
      if (info !== null && typeof info === 'object') this._accept(info as TransformableInfo);
    } finally {
      // As winston does: the callback runs synchronously, so the next write needs no tick.
      streamOf(this)._writableState.sync = false;
      callback();
    }
  }

  /**
   * @internal The record's way after `write`: `silent`, the level (for records that did not come from a
   * level method), `disabled`, the logger's filters and format, then Python's handler walk.
   */
  _accept(info: TransformableInfo): void {
    if (this.silent) return;
    const n = this._py;
    const bag = info as Record<symbol, unknown>;
    if (bag[LEVEL] === undefined) bag[LEVEL] = info.level;
    let ctx = bag[PY_RECORD] as RecordContext | undefined;
    const fromCall = ctx !== undefined;
    let levelno: number;
    if (ctx !== undefined && ctx.levelno !== undefined) {
      levelno = ctx.levelno;
    } else {
      const name = bag[LEVEL];
      const text = typeof name === 'string' ? name : String(name);
      if (isKnownLevel(text)) {
        levelno = levelInfo(text).levelno;
        if (n.gen !== registry.generation) refresh(this);
        if (levelno < n.eff) return;
      } else {
        // winston delivers a record at an unknown level to every transport without a level, with a
        // warning; so does a module logger (the logger's level cannot judge it), warning once per name.
        warnUnknownLevel(text);
        levelno = 0;
      }
      ctx = recordContextOf(info, n.name);
      ctx.levelno = levelno;
    }
    if (n.disabled) return;
    // Log context (src/context): the one makeCallInfo read at the call, else (a record written as an
    // info) the current one. Added here, after child() bindings were merged, so that those win.
    const logContext = fromCall ? ctx.logContext : logContextStorage.getStore();
    if (logContext !== undefined) addContextFields(info, logContext);
    const filters = n.filters;
    for (let i = 0; i < filters.length; i++) if (!applyFilter(filters[i] as LoggerFilter, info)) return;
    let record: TransformableInfo = info;
    const fmt = this.format as Format | undefined;
    if (fmt !== undefined && fmt !== null) {
      let out: TransformableInfo | boolean = info;
      try {
        out = fmt.transform(info, fmt.options);
      } catch (err) {
        reportOnce(
          fmt,
          `the logger format of "${n.name}" threw (${String(err)}); the record was kept as it was`,
        );
      }
      if (!out) return;
      if (out !== true) record = out;
    }
    callHandlers(this, record, levelno);
  }

  /**
   * Holds `t` for its `'warn'` and `'error'`: one listener pair per transport, shared by every logger that
   * holds it (registry.watched), so a transport serving many loggers carries two listeners, not two per
   * logger (Node's MaxListenersExceededWarning past ten). Events go to the logger that owns the node.
   */
  private watch(t: Transport): void {
    let w = registry.watched.get(t);
    if (w === undefined) {
      const holders = new Set<ModuleLogger>();
      w = {
        holders,
        warn: (warning: unknown): void => {
          for (const logger of [...holders]) logger.emit('warn', warning, t);
        },
        // Each holder with an 'error' listener gets the error; the others report it once (per transport).
        error: (e: unknown): void => {
          for (const logger of [...holders]) {
            if (logger.listenerCount('error') > 0) logger.emit('error', e, t);
            else reportOnce(t, e instanceof Error ? e.message : String(e));
          }
        },
      };
      registry.watched.set(t, w);
      t.on('warn', w.warn);
      t.on('error', w.error);
    }
    w.holders.add(ownerOf(this));
  }

  /** Lets go of `t`; the listener pair goes when no logger holds it any more. */
  private unwatch(t: Transport): void {
    const w = registry.watched.get(t);
    if (w === undefined) return;
    w.holders.delete(ownerOf(this));
    if (w.holders.size > 0) return;
    t.off('warn', w.warn);
    t.off('error', w.error);
    registry.watched.delete(t);
  }
}

// winston reads and writes `logger.level`; here it is Python's level: the setter is setLevel, the
// getter names the level in force (own or inherited), as winston users expect.
Object.defineProperty(ModuleLogger.prototype, 'level', {
  configurable: true,
  enumerable: true,
  get(this: ModuleLogger): string {
    if (this._py === undefined) return 'notset';
    const name = getLevelName(this.getEffectiveLevel());
    return typeof name === 'string' ? name.toLowerCase() : String(name);
  },
  set(this: ModuleLogger, value: LevelLike) {
    // winston's configure() assigns its default level while the logger is being (re)configured.
    if (this._py === undefined || this._py.wiring !== undefined) return;
    if (ownerOf(this) === this) this.setLevel(value);
    else setChildLevel(this, value);
  },
});

/**
 * winston's `child.level = x` on a `child()` copy: the child's own level, judged for the calls made
 * through that child (and its own children) only; the shared logger keeps its level (winston #1854).
 * The child gets a node of its own whose prototype is the shared node: it shadows `level`, `eff` and
 * `gen` (so the level methods' disabled call reads `this._py.eff` unchanged) and reads everything else
 * from the tree. NOTSET drops the child's node: the child follows its logger again.
 */
function setChildLevel(child: ModuleLogger, value: LevelLike): void {
  const levelno = levelNumber(value, `level = ${describeValue(value)}`);
  if (levelno === 0) {
    if (Object.prototype.hasOwnProperty.call(child, '_py')) delete (child as { _py?: LoggerNode })._py;
    return;
  }
  const node = Object.create(treeNode(child)) as LoggerNode;
  node.level = levelno;
  node.eff = 0;
  node.gen = -1;
  Object.defineProperty(child, '_py', { value: node, enumerable: false, writable: true, configurable: true });
}

/** A level as `setLevel` takes it (strict spelling in Python compatibility mode). */
function levelNumber(level: LevelLike, what: string): number {
  return registry.pythonCompat ? checkLevelStrict(level) : toLevelNo(level, what);
}

/**
 * The logger's node in the tree, shared by the logger and its `child()` copies; a child with a level of
 * its own reads it through its own node's prototype (see setChildLevel). What changes the tree (level,
 * propagate, handlers, ...) goes here.
 */
function treeNode(logger: ModuleLogger): LoggerNode {
  const n = logger._py;
  return Object.prototype.hasOwnProperty.call(n, 'name') ? n : (Object.getPrototypeOf(n) as LoggerNode);
}

Object.defineProperty(ModuleLogger.prototype, 'transports', {
  configurable: true,
  enumerable: true,
  /** winston's `transports`: the handlers, the instrumentation transports and what is piped (exception streams). */
  get(this: ModuleLogger): Transport[] {
    if (this._py === undefined) return [];
    if (!this._py.stream) return [...this._py.handlers, ...this._py.local];
    const pipes = streamOf(this)._readableState.pipes;
    const piped = Array.isArray(pipes) ? (pipes as Transport[]) : pipes ? [pipes as Transport] : [];
    return [...this._py.handlers, ...this._py.local, ...piped];
  },
});

/** `transports` as winston takes it (one or an array), as an array. */
export function transportList<T>(transports: T | T[] | undefined | null): T[] {
  return transports === undefined || transports === null
    ? []
    : Array.isArray(transports)
      ? transports
      : [transports];
}

// winston's configure() as loaded; anything else there (or a shimmer-marked wrapper, which
// instrumentation installed before this module loaded) means someone wraps it and must see every logger.
const LOGGER_CONFIGURE = winston.Logger.prototype as unknown as { configure: { __wrapped?: unknown } };
const WINSTON_CONFIGURE = LOGGER_CONFIGURE.configure;
function configureWrapped(): boolean {
  const current = LOGGER_CONFIGURE.configure;
  return current !== WINSTON_CONFIGURE || current.__wrapped === true;
}

function usesRemovedOptions(options: object): boolean {
  const o = options as Record<string, unknown>;
  return Boolean(o.colors || o.emitErrs || o.formatters || o.padLevels || o.rewriters || o.stripColors);
}

// winston's exception and rejection handlers, made on first use for loggers made by ModuleLogger.create
// (winston's configure() makes both for every logger), on the logger that owns the node.
type HandlerClass = new (logger: winston.Logger) => unknown;
for (const [key, Handler] of [
  ['exceptions', winston.ExceptionHandler as unknown as HandlerClass],
  ['rejections', winston.RejectionHandler as unknown as HandlerClass],
] as const) {
  Object.defineProperty(ModuleLogger.prototype, key, {
    configurable: true,
    enumerable: false,
    get(this: ModuleLogger): unknown {
      if ((this as { _py?: LoggerNode })._py === undefined) return undefined;
      const owner = ownerOf(this);
      const handler = new Handler(owner);
      Object.defineProperty(owner, key, {
        value: handler,
        writable: true,
        configurable: true,
        enumerable: true,
      });
      return handler;
    },
    set(this: ModuleLogger, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

/** readable-stream v3's state objects, which winston's typings do not declare. */
interface StreamInternals {
  _writableState: { ending?: boolean; sync: boolean };
  _readableState: { pipes?: unknown; pipesCount: number; flowing: boolean | null };
}

/** @internal */
export function streamOf(logger: ModuleLogger): StreamInternals {
  return logger as unknown as StreamInternals;
}

/**
 * The registry as the level checks read it: a module constant, so that reading the generation is one
 * load where an import binding is read through a getter (the CommonJS output of TypeScript loaders such
 * as tsx makes every imported name one; measured at about 10 ns per disabled call).
 */
const LEVELS_STATE: { readonly generation: number } = registry;
/** `levelNoOf`, held the same way for `isEnabledFor`. */
const LEVEL_NO_OF: (level: unknown) => number = levelNoOf;

function refresh(logger: ModuleLogger): void {
  const n = logger._py;
  let eff = n.disabled ? Number.POSITIVE_INFINITY : logger.getEffectiveLevel();
  // CPython's isEnabledFor: `manager.disable >= level` drops the call, with disable 0 by default, so a
  // record at level 0 (or below) is never emitted.
  if (eff <= registry.disableLevel) eff = registry.disableLevel + 1;
  n.eff = eff;
  n.gen = registry.generation;
}

const warnedLevels = new Set<string>();
function warnUnknownLevel(level: string): void {
  if (warnedLevels.has(level)) return;
  warnedLevels.add(level);
  // winston's own words and channel, so tools that watch for them keep working.
  // eslint-disable-next-line no-console
  console.error('[winston] Unknown logger level: %s', level);
}

/**
 * The standard level methods, on the prototype as accessors that hand out a function bound to the logger
 * the way winston's are: called on the logger or on a `child()` of it, `this` is that logger; called
 * detached (`const { info } = log`, `promise.catch(log.error)`, a timer), it is the logger the method
 * was taken from. Each function is made on first use and then becomes the logger's own (non-enumerable)
 * property, so a logger costs nothing for the methods it never calls, and `log.debug` is afterwards a
 * plain property read (a child() copy reads it through its prototype): the disabled call is the call of
 * a function that compares two numbers. Assigning a method (`log.info = fn`) replaces it on that
 * object, as on winston.
 */
const STANDARD: ReadonlyArray<
  readonly [method: string, levelName: string, levelno: number, forceExc: boolean]
> = [
  ['critical', 'critical', 50, false],
  ['fatal', 'fatal', 50, false],
  ['error', 'error', 40, false],
  ['warning', 'warning', 30, false],
  ['warn', 'warn', 30, false],
  ['info', 'info', 20, false],
  ['http', 'http', 17, false],
  ['verbose', 'verbose', 15, false],
  ['debug', 'debug', 10, false],
  ['silly', 'silly', 5, false],
  ['exception', 'error', 40, true],
];

function defineAccessor(name: string, make: (owner: ModuleLogger) => unknown): void {
  Object.defineProperty(ModuleLogger.prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: ModuleLogger): unknown {
      if ((this as { _py?: LoggerNode })._py === undefined) return undefined;
      const owner = ownerOf(this);
      const fn = make(owner);
      Object.defineProperty(owner, name, {
        value: fn,
        writable: true,
        configurable: true,
        enumerable: false,
      });
      return fn;
    },
    set(this: ModuleLogger, value: unknown) {
      Object.defineProperty(this, name, { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

/**
 * The logger that owns the tree node (a `child()` copy inherits it, or has a node of its own in front of
 * it: see setChildLevel): the methods bound to it are shared.
 */
function ownerOf(logger: ModuleLogger): ModuleLogger {
  let o: ModuleLogger = logger;
  while (
    !Object.prototype.hasOwnProperty.call(o, '_py') ||
    !Object.prototype.hasOwnProperty.call(o._py, 'name')
  )
    o = Object.getPrototypeOf(o) as ModuleLogger;
  return o;
}

for (const [method, levelName, levelno, forceExc] of STANDARD) {
  defineAccessor(method, (owner) => levelMethod(owner, levelName, levelno, forceExc));
  if (method !== 'exception') {
    defineAccessor(`is${method.charAt(0).toUpperCase()}${method.slice(1)}Enabled`, (owner) =>
      enabledMethod(owner, levelno),
    );
  }
}
defineAccessor('log', (owner) => logMethod(owner));

// winston's stream state, built on first use for loggers made by ModuleLogger.create (the readable-stream
// constructors assign these three; the setter turns each into the object's own property).
const TransformStream = Object.getPrototypeOf(winston.Logger) as (this: unknown, options: object) => void;
for (const key of ['_readableState', '_writableState', '_transformState']) {
  Object.defineProperty(ModuleLogger.prototype, key, {
    configurable: true,
    enumerable: false,
    get(this: ModuleLogger): unknown {
      if ((this as { _py?: LoggerNode })._py === undefined) return undefined;
      const n = treeNode(this);
      if (n.stream) return undefined;
      n.stream = true;
      TransformStream.call(this, { objectMode: true });
      return (this as unknown as Record<string, unknown>)[key];
    },
    set(this: ModuleLogger, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

/** Methods for the names of a winston `levels` option (`log.trace()`, `log.isTraceEnabled()`). */
function defineMethods(
  owner: ModuleLogger,
  levels: ReadonlyArray<readonly [method: string, levelName: string, levelno: number]>,
): void {
  const target = owner as unknown as Record<string, unknown>;
  for (const [method, levelName, levelno] of levels) {
    if (method === 'log') continue;
    target[method] = levelMethod(owner, levelName, levelno, false);
    target[`is${method.charAt(0).toUpperCase()}${method.slice(1)}Enabled`] = enabledMethod(owner, levelno);
  }
}

function enabledMethod(owner: ModuleLogger, levelno: number): LevelEnabledMethod {
  return function (this: unknown): boolean {
    return (this instanceof ModuleLogger ? this : owner).isEnabledFor(levelno);
  };
}

function levelMethod(
  owner: ModuleLogger,
  levelName: string,
  levelno: number,
  forceExc: boolean,
): PyLogMethod {
  // The record path reads `arguments`; kept apart so that the level check below allocates nothing
  // (V8 forwards `arguments` to `apply` without materialising it).
  const emit = function (this: ModuleLogger, message?: unknown): ModuleLogger {
    const n = this._py;
    if (n.gen !== registry.generation) refresh(this);
    if (levelno < n.eff) return this;
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : NO_ARGS;
    this.write(
      makeCallInfo(n, this.defaultMeta, levelName, levelno, message, args, arguments.length, false, forceExc),
    );
    return this;
  };
  return function (this: unknown): ModuleLogger {
    const self =
      this !== undefined && this !== null && (this as ModuleLogger)._py !== undefined
        ? (this as ModuleLogger)
        : owner;
    const n = self._py;
    // The disabled call: the level is known (the generation has not moved) and below the effective one.
    if (levelno < n.eff && n.gen === LEVELS_STATE.generation) return self;
    // eslint-disable-next-line prefer-rest-params
    return emit.apply(self, arguments as unknown as [message?: unknown]);
  } as PyLogMethod;
}

function logMethod(owner: ModuleLogger): PyLogFunction {
  return function log(this: unknown, level: unknown, message?: unknown): ModuleLogger {
    const self =
      this !== undefined && this !== null && (this as ModuleLogger)._py !== undefined
        ? (this as ModuleLogger)
        : owner;
    if (arguments.length === 1 && level !== null && typeof level === 'object') {
      // winston's log(info)
      const info = level as TransformableInfo;
      // A child() with a level of its own judges its records here: its write() hands them to the logger,
      // whose _accept judges them by the logger's level only.
      if (self._py !== treeNode(self) && typeof info.level === 'string' && isKnownLevel(info.level)) {
        if (self._py.gen !== registry.generation) refresh(self);
        if (levelInfo(info.level).levelno < self._py.eff) return self;
      }
      (info as Record<symbol, unknown>)[LEVEL] = info.level;
      if (self.defaultMeta) Object.assign(info, self.defaultMeta);
      self.write(info);
      return self;
    }
    if (registry.pythonCompat && (typeof level !== 'number' || !Number.isInteger(level)))
      throw new TypeError('level must be an integer');
    let levelno: number;
    let levelName: string;
    const named = typeof level === 'string' && isKnownLevel(level);
    if (typeof level === 'string' && !named && !/^\s*\d+\s*$/.test(level)) {
      // Unknown names go the winston way: delivered with a warning, judged by no level.
      levelName = level;
      levelno = -1;
    } else if (typeof level !== 'string' && (typeof level !== 'number' || !Number.isInteger(level))) {
      // Bad log data never throws into the caller: reported once, dropped.
      reportOnce(self, `log(level): ${describeValue(level)} is not a level; the record was dropped`);
      return self;
    } else {
      // Any integer is a level (CPython's); one at or below NOTSET is never emitted.
      levelno = typeof level === 'number' ? level : toLevelNo(level, 'log(level)');
      // A name keeps the caller's word (log('verbose') → 'verbose', as on winston); a number gets its name.
      levelName = named ? level.trim().toLowerCase() : winstonLevelName(levelno);
      const n = self._py;
      if (n.gen !== registry.generation) refresh(self);
      if (levelno < n.eff) return self;
    }
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 2 ? Array.prototype.slice.call(arguments, 2) : NO_ARGS;
    const info = makeCallInfo(
      self._py,
      self.defaultMeta,
      levelName,
      levelno,
      message,
      args,
      arguments.length - 1,
      true,
      false,
    );
    if (levelno === -1) {
      delete ((info as Record<symbol, unknown>)[PY_RECORD] as RecordContext).levelno;
    }
    self.write(info);
    return self;
  } as PyLogFunction;
}

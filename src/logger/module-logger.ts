import type { Format, TransformableInfo } from 'logform';
import { LEVEL, SPLAT } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { ConfigError, describeValue } from '../errors';
import { callSiteWanted, captureCallSite } from '../record/call-site';
import { bumpGeneration, registry } from './registry';
import {
  LEVELS,
  WINSTON_LEVELS,
  checkLevelStrict,
  getLevelName,
  levelInfo,
  toLevelNo,
  winstonLevelName,
} from '../record/levels';
import type { LevelLike } from '../record/levels';
import {
  LOG_RECORD_ATTRIBUTES,
  PY_RECORD,
  excTextOf,
  isPlainObject,
  mergedMessage,
  splitArgs,
  splitTrailingMeta,
} from '../record/record';
import type { RecordContext } from '../record/record';

/**
 * A logger filter, as Python's `Logger.addFilter` takes: a function of the record (the winston info,
 * whose logger name, level and message the bundle's helpers read), an object with `filter(info)`, or a
 * logform format such as `moduleFilter(...)` (a falsy transform result drops the record).
 */
export type LoggerFilter =
  ((info: TransformableInfo) => unknown) | { filter(info: TransformableInfo): unknown } | Format;

/** Options for a {@link ModuleLogger}; normally built through `createModuleLogger(name, options)`. */
export interface ModuleLoggerOptions {
  /** The logger's own level (Python's `setLevel`); omitted means NOTSET: inherit from the parent. */
  level?: LevelLike;
  /** Handlers (winston transports) attached to this logger. */
  transports?: Transport | Transport[];
  /** Python's `propagate`: pass records up to the ancestors' handlers. @defaultValue true */
  propagate?: boolean;
  /** Logger filters (run only for records created by this logger, as in Python). */
  filters?: LoggerFilter[];
  /** Metadata merged into every record of this logger (winston's `defaultMeta`). */
  defaultMeta?: Record<string, unknown>;
}

/** Per-logger state, kept in one object so winston's `child()` loggers (prototype copies) share it. */
interface Node {
  name: string;
  level: number;
  eff: number;
  gen: number;
  parent: ModuleLogger | null;
  propagate: boolean;
  disabled: boolean;
  handlers: Transport[];
  filters: LoggerFilter[];
}

/** The levels the bundle's loggers have methods for, with Python's numbers. */
const METHOD_LEVELS: ReadonlyArray<readonly [method: string, levelName: string, levelno: number]> = [
  ['critical', 'critical', 50],
  ['fatal', 'critical', 50],
  ['error', 'error', 40],
  ['warning', 'warning', 30],
  ['warn', 'warning', 30],
  ['info', 'info', 20],
  ['debug', 'debug', 10],
];

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** A bundle method with Python's signature: `(msg, ...args)`, also winston's `(infoObject)` and `(msg, meta)`. */
export type PyLogMethod = (message?: unknown, ...args: unknown[]) => ModuleLogger;

/** `ModuleLogger.log`: Python's `log(level, msg, *args)` (known names complete, numbers allowed) and winston's forms. */
export interface PyLevelLogMethod {
  (level: LevelLike, message?: unknown, ...args: unknown[]): ModuleLogger;
  (level: string, message?: unknown, ...args: unknown[]): ModuleLogger;
  (entry: winston.LogEntry): ModuleLogger;
}

/**
 * A real winston logger (winston's API works on it) with Python's logging model: a dotted name in the
 * logger tree, its own level or NOTSET (inherit), handlers (winston transports), `propagate`, logger
 * filters, `disabled`, and Python's propagation rule — a record passed up is checked against each
 * handler's level, never against the ancestors' levels or filters.
 *
 * Handlers are not `pipe`d from the logger: records are written to them directly. That is what lets
 * one transport serve many loggers, each with its own level, and lets closing one logger leave a
 * transport that other loggers still use open (winston #1888).
 */
export class ModuleLogger extends winston.Logger {
  /** @internal */
  declare _py: Node;
  declare critical: PyLogMethod;
  declare fatal: PyLogMethod;
  declare warning: PyLogMethod;
  /** Logs at ERROR with the error's traceback: `log.exception('Query failed', err)` or `log.exception(err)`. */
  declare exception: PyLogMethod;
  /**
   * `log(level, msg, ...args)` with a level name or Python number (`log(25, 'disk at %d%%', 91)`), a name added
   * with `addLevelName` (`log('notice', …)`), or winston's `log(info)`.
   */
  declare log: PyLevelLogMethod;

  /** @internal Use `createModuleLogger(name)`; a logger made directly is not part of the tree. */
  constructor(name: string, options: ModuleLoggerOptions = {}) {
    super({ levels: WINSTON_LEVELS, level: 'notset' });
    // winston's configure() installed json() as the logger format; Python loggers have none (handlers format).
    (this as { format: Format | undefined }).format = undefined;
    const node: Node = {
      name,
      level: 0,
      eff: 0,
      gen: -1,
      parent: null,
      propagate: options.propagate ?? true,
      disabled: false,
      handlers: this._py?.handlers ?? [],
      filters: [...(options.filters ?? [])],
    };
    Object.defineProperty(this, '_py', { value: node, enumerable: false, writable: true });
    if (options.level !== undefined) this.setLevel(options.level);
    if (options.defaultMeta !== undefined) this.defaultMeta = options.defaultMeta;
    const list = transportList(options.transports);
    for (const t of list) this.add(t);
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
    this._py.propagate = Boolean(value);
  }

  /** Python's `disabled`: drops this logger's own records (not those propagating through it). */
  get disabled(): boolean {
    return this._py.disabled;
  }
  set disabled(value: boolean) {
    this._py.disabled = Boolean(value);
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

  /** Python's `setLevel`: a name (any case) or number; NOTSET (0) inherits from the parent. */
  setLevel(level: LevelLike): this {
    this._py.level = registry.pythonCompat
      ? checkLevelStrict(level)
      : toLevelNo(level, `setLevel(${describeValue(level)})`);
    bumpGeneration();
    return this;
  }

  /** Python's `getEffectiveLevel`: the first non-NOTSET level walking up to the root. */
  getEffectiveLevel(): number {
    let c: ModuleLogger | null = this;
    while (c !== null) {
      if (c._py.level !== 0) return c._py.level;
      c = c._py.parent;
    }
    return 0;
  }

  /** Python's `isEnabledFor(level)`. */
  isEnabledFor(level: LevelLike): boolean {
    const n = this._py;
    if (n.gen !== registry.generation) refresh(this);
    return toLevelNo(level) >= n.eff;
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
    const factory = registry.getLogger;
    if (factory === undefined) throw new Error('winston-pylogging: logger registry is not initialised');
    return factory(this === registry.root ? suffix : `${this._py.name}.${suffix}`);
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
    let c: ModuleLogger | null = this;
    while (c !== null) {
      if (c._py.handlers.length > 0) return true;
      if (!c._py.propagate) break;
      c = c._py.parent;
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

  /** winston's `add`, without piping: the transport is written to directly and may be shared. */
  override add(transport: Transport): this {
    // winston's constructor calls add() before our fields exist; keep those transports for the node.
    if (this._py === undefined) {
      Object.defineProperty(this, '_py', { value: { handlers: [] }, enumerable: false, writable: true });
    }
    const t = transport as Transport & { levels?: unknown; _writableState?: { objectMode?: boolean } };
    if (
      t === null ||
      typeof t !== 'object' ||
      typeof (t as { write?: unknown }).write !== 'function' ||
      !t._writableState?.objectMode
    ) {
      throw new ConfigError(
        `${this._py.name ?? 'logger'}.add: ${describeValue(transport)} is not allowed; use a winston transport (an objectMode Writable such as new winston.transports.Console())`,
      );
    }
    if (this._py.handlers.includes(transport)) return this;
    // Transports compare levels through `this.levels`, which winston normally sets on pipe.
    t.levels ??= WINSTON_LEVELS;
    watchTransport(transport);
    this._py.handlers.push(transport);
    if (transport.handleExceptions) this.exceptions.handle();
    if (transport.handleRejections) this.rejections.handle();
    registry.configured = true;
    return this;
  }

  /** winston's `remove`: detaches without closing (the transport may serve other loggers). */
  override remove(transport: Transport): this {
    const i = this._py.handlers.indexOf(transport);
    if (i !== -1) this._py.handlers.splice(i, 1);
    return this;
  }

  /** winston's `clear`: detaches every handler of this logger. */
  override clear(): this {
    if (this._py !== undefined) this._py.handlers.length = 0;
    return this;
  }

  /**
   * winston's `close`: detaches this logger's handlers and closes those that no other logger uses.
   * A transport still attached elsewhere stays open (winston closes it for everyone, #1888).
   */
  override close(): this {
    this.exceptions.unhandle();
    this.rejections.unhandle();
    const handlers = [...this._py.handlers];
    this._py.handlers.length = 0;
    for (const t of handlers) if (!usedElsewhere(t)) (t as { close?: () => void }).close?.();
    this.emit('close');
    return this;
  }

  /**
   * winston's stream `_final` (runs on `logger.end()`): ends the transports no other logger uses and
   * waits for their `'finish'`; shared ones are only flushed where they can be.
   */
  override _final(callback: (error?: Error | null) => void): void {
    const handlers = [...this._py.handlers];
    Promise.all(
      handlers.map(async (t) => {
        if (usedElsewhere(t, this)) {
          await (t as { flush?: () => Promise<unknown> }).flush?.();
          return;
        }
        if (t.writableFinished) return;
        await new Promise<void>((resolve) => {
          t.once('finish', () => resolve());
          t.once('close', () => resolve());
          if (!t.writableEnded) t.end();
        });
      }),
    ).then(
      () => callback(),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** Records written directly (winston's `logger.write(info)`, `child()`, `profile()`, `startTimer()`). */
  override write(chunk: unknown, encodingOrCb?: unknown, cb?: unknown): boolean {
    const done = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (chunk !== null && typeof chunk === 'object') this._handleInfo(chunk as TransformableInfo);
    if (typeof done === 'function') process.nextTick(done);
    return true;
  }

  /** @internal Accepts an info object from winston's API (`log({ level, message })`, `write`, child loggers). */
  _handleInfo(info: TransformableInfo): void {
    const n = this._py;
    const rawLevel = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
    const li = levelInfo(typeof rawLevel === 'string' ? rawLevel : String(rawLevel));
    if (n.gen !== registry.generation) refresh(this);
    if (li.levelno < n.eff) return;
    const holder = info as TransformableInfo & { [PY_RECORD]?: RecordContext };
    if (holder[PY_RECORD] === undefined) {
      const ctx: RecordContext = { name: n.name, created: Date.now() };
      if (info instanceof Error) ctx.excInfo = info;
      const excInfo = (info as { exc_info?: unknown }).exc_info;
      if (excInfo instanceof Error) ctx.excInfo = excInfo;
      const splat = (info as { [SPLAT]?: unknown })[SPLAT];
      if (Array.isArray(splat) && splat.length > 0) {
        const split = splitArgs(info.message, splat);
        if (split.args !== undefined) ctx.args = split.args;
        if (split.excInfo !== undefined) ctx.excInfo ??= split.excInfo;
      }
      if (callSiteWanted()) ctx.callSite = captureCallSite();
      holder[PY_RECORD] = ctx;
    }
    if (info[LEVEL as unknown as string] === undefined) (info as Record<symbol, unknown>)[LEVEL] = info.level;
    this._dispatch(info, li.levelno);
  }

  /** @internal The Python call path shared by every level method. */
  _emit(
    levelName: string,
    levelno: number,
    message: unknown,
    args: readonly unknown[],
    forceExc: boolean,
  ): this {
    const n = this._py;
    let msg = message;
    let meta: Record<string, unknown> | undefined;
    let excInfo: unknown;
    let stackInfo: string | undefined;
    let pyArgs: RecordContext['args'];

    if (msg instanceof Error) {
      excInfo = msg;
      msg = msg.message;
    } else if (args.length === 0 && isPlainObject(msg) && 'message' in msg) {
      // winston's info-object call: log.info({ message: 'x', user: 1 })
      const { message: m, ...rest } = msg;
      msg = m;
      meta = rest;
    }
    if (args.length > 0) {
      const trailing = splitTrailingMeta(msg, args);
      const list = trailing.args;
      meta = trailing.meta;
      const split = splitArgs(msg, list);
      pyArgs = split.args;
      if (split.excInfo !== undefined) excInfo = split.excInfo;
      // A single object argument is both Python's mapping and winston's metadata.
      if (pyArgs !== undefined && !Array.isArray(pyArgs))
        meta = { ...(pyArgs as Record<string, unknown>), ...meta };
      else if (list.length === 1 && isPlainObject(list[0])) meta = { ...list[0], ...meta };
    }
    if (meta !== undefined) {
      const { exc_info, stack_info, extra, ...rest } = meta;
      if (exc_info !== undefined || stack_info !== undefined || extra !== undefined) {
        if (
          exc_info instanceof Error ||
          (exc_info !== undefined && exc_info !== false && exc_info !== true && exc_info !== null)
        )
          excInfo = exc_info;
        // JS has no "exception being handled": exc_info: true renders as Python's does outside an
        // except block ('NoneType: None'), never silently nothing.
        if (exc_info === true) excInfo = null;
        if (stack_info === true) stackInfo = currentStack();
        else if (typeof stack_info === 'string') stackInfo = stack_info;
        if (registry.pythonCompat && isPlainObject(extra)) {
          for (const key of Object.keys(extra)) {
            if (LOG_RECORD_ATTRIBUTES.has(key))
              throw new Error(`KeyError: "Attempt to overwrite '${key}' in LogRecord"`);
          }
        }
        meta = isPlainObject(extra) ? { ...rest, ...extra } : rest;
        if (pyArgs !== undefined && !Array.isArray(pyArgs))
          pyArgs = Object.keys(meta).length > 0 ? meta : undefined;
      }
    }
    if (forceExc && excInfo === undefined) excInfo = null;

    const ctx: RecordContext = { name: n.name, created: Date.now() };
    if (pyArgs !== undefined) ctx.args = pyArgs;
    if (excInfo !== undefined) ctx.excInfo = excInfo;
    if (stackInfo !== undefined) ctx.stackInfo = stackInfo;
    if (callSiteWanted()) ctx.callSite = captureCallSite();

    const info: TransformableInfo =
      this.defaultMeta !== undefined && this.defaultMeta !== null
        ? { ...(this.defaultMeta as object), level: levelName, message: msg }
        : { level: levelName, message: msg };
    if (meta !== undefined) Object.assign(info, meta, { level: levelName, message: msg });
    (info as Record<symbol, unknown>)[LEVEL] = levelName;
    (info as Record<symbol, unknown>)[SPLAT] = args;
    (info as Record<symbol, unknown>)[PY_RECORD] = ctx;
    if (levelno !== levelInfo(levelName).levelno) ctx.levelno = levelno;
    this._dispatch(info, levelno);
    return this;
  }

  /** @internal Logger filters, the logger-level format, then Python's callHandlers walk. */
  _dispatch(info: TransformableInfo, levelno: number): void {
    const n = this._py;
    if (n.disabled) return;
    for (const f of n.filters) if (!applyFilter(f, info)) return;
    let record: TransformableInfo = info;
    const fmt = this.format as Format | undefined;
    if (fmt !== undefined && fmt !== null) {
      let out: TransformableInfo | boolean = info;
      try {
        out = fmt.transform(info, fmt.options);
      } catch (err) {
        reportDelivery(this, err);
      }
      if (!out) return;
      if (out !== true) record = out;
    }
    let found = 0;
    let c: ModuleLogger | null = this;
    while (c !== null) {
      const cn: Node = c._py;
      for (const h of cn.handlers) {
        found++;
        const hl = h.level === undefined ? 0 : levelInfo(h.level).levelno;
        if (levelno >= hl) deliver(c, h, record);
      }
      if (!cn.propagate) break;
      c = cn.parent;
    }
    if (found === 0) {
      if (!registry.configured && registry.autoConfigure !== undefined) {
        registry.autoConfigure();
        registry.configured = true;
        if (registry.root !== undefined && registry.root._py.handlers.length > 0) {
          this._dispatch(record, levelno);
          return;
        }
      }
      if (registry.lastResort && levelno >= LEVELS.WARNING) lastResort(record);
    }
  }
}

// Level methods live on the prototype (as winston's DerivedLogger does) so every call is monomorphic.
for (const [method, levelName, levelno] of METHOD_LEVELS) {
  // No rest parameter: the argument array is only built once the level check has passed, so a
  // disabled call allocates nothing (the bench's disabled-call numbers depend on it).
  const fn = function (this: ModuleLogger, message?: unknown): ModuleLogger {
    const n = this._py;
    if (n.gen !== registry.generation) refresh(this);
    if (levelno < n.eff) return this;
    // eslint-disable-next-line prefer-rest-params
    const args = arguments.length > 1 ? Array.prototype.slice.call(arguments, 1) : NO_ARGS;
    return this._emit(levelName, levelno, message, args, false);
  } as PyLogMethod;
  Object.defineProperty(ModuleLogger.prototype, method, { value: fn, writable: true, configurable: true });
}

Object.defineProperty(ModuleLogger.prototype, 'exception', {
  configurable: true,
  writable: true,
  value: function exception(this: ModuleLogger, message?: unknown, ...args: unknown[]): ModuleLogger {
    const n = this._py;
    if (n.gen !== registry.generation) refresh(this);
    if (LEVELS.ERROR < n.eff) return this;
    return this._emit('error', LEVELS.ERROR, message, args, true);
  },
});

Object.defineProperty(ModuleLogger.prototype, 'log', {
  configurable: true,
  writable: true,
  /** `log(level, msg, ...args)` with a level name (any case) or Python number; also winston's `log(info)`. */
  value: function log(
    this: ModuleLogger,
    level: unknown,
    message?: unknown,
    ...args: unknown[]
  ): ModuleLogger {
    if (arguments.length === 1 && level !== null && typeof level === 'object') {
      this._handleInfo(level as TransformableInfo);
      return this;
    }
    if (registry.pythonCompat && typeof level !== 'number') throw new TypeError('level must be an integer');
    const levelno = toLevelNo(level, 'log(level)');
    const n = this._py;
    if (n.gen !== registry.generation) refresh(this);
    if (levelno < n.eff) return this;
    return this._emit(winstonLevelName(levelno), levelno, message, args, false);
  },
});

// winston reads and writes `logger.level`; here it is Python's level: the setter is setLevel, the
// getter names the level in force (own or inherited), as winston users expect.
Object.defineProperty(ModuleLogger.prototype, 'level', {
  configurable: true,
  enumerable: true,
  get(this: ModuleLogger): string {
    if (this._py === undefined || this._py.name === undefined) return 'notset';
    const eff = this.getEffectiveLevel();
    const name = getLevelName(eff);
    return typeof name === 'string' ? name.toLowerCase() : String(name);
  },
  set(this: ModuleLogger, value: LevelLike) {
    if (this._py === undefined || this._py.name === undefined) return; // winston's configure() during super()
    this.setLevel(value);
  },
});

Object.defineProperty(ModuleLogger.prototype, 'transports', {
  configurable: true,
  enumerable: true,
  get(this: ModuleLogger): Transport[] {
    return this._py === undefined ? [] : [...this._py.handlers];
  },
});

/** `transports` as winston takes it (one or an array), as an array. */
export function transportList(transports: Transport | Transport[] | undefined): Transport[] {
  return transports === undefined ? [] : Array.isArray(transports) ? transports : [transports];
}

function refresh(logger: ModuleLogger): void {
  const n = logger._py;
  let eff = n.disabled ? Number.POSITIVE_INFINITY : logger.getEffectiveLevel();
  if (registry.disableLevel > 0 && eff <= registry.disableLevel) eff = registry.disableLevel + 1;
  n.eff = eff;
  n.gen = registry.generation;
}

function applyFilter(f: LoggerFilter, info: TransformableInfo): boolean {
  try {
    if (typeof f === 'function') return Boolean(f(info));
    if (typeof (f as Format).transform === 'function')
      return Boolean((f as Format).transform(info, (f as Format).options));
    return Boolean((f as { filter(info: TransformableInfo): unknown }).filter(info));
  } catch (err) {
    process.stderr.write(`winston-pylogging: a logger filter threw (${String(err)}); the record was kept\n`);
    return true;
  }
}

const watched = new WeakSet<object>();
const failing = new WeakSet<object>();

/** Listens for a transport's 'error' so a failing transport can never crash the process (Python's handleError). */
function watchTransport(t: Transport): void {
  if (watched.has(t)) return;
  watched.add(t);
  t.on('error', (err: unknown) => reportDelivery(t, err));
}

function reportDelivery(source: object, err: unknown): void {
  if (failing.has(source)) return;
  failing.add(source);
  const name = (source as { name?: unknown }).name;
  process.stderr.write(
    `winston-pylogging: --- Logging error --- ${typeof name === 'string' ? name : 'transport'}: ${err instanceof Error ? err.message : String(err)}\n`,
  );
}

/**
 * Python's handler filters (`handler.addFilter(f)`): run on the shared record before the transport
 * copies it, so an attribute a filter adds is seen by the handlers after it, as in CPython.
 */
export function addHandlerFilter(transport: Transport, filter: LoggerFilter): void {
  const t = transport as Transport & { filters?: LoggerFilter[] };
  if (t.filters === undefined) {
    Object.defineProperty(t, 'filters', { value: [], enumerable: false, writable: true, configurable: true });
  }
  if (!t.filters!.includes(filter)) t.filters!.push(filter);
}

function deliver(owner: ModuleLogger, h: Transport, record: TransformableInfo): void {
  const filters = (h as Transport & { filters?: LoggerFilter[] }).filters;
  if (filters !== undefined) for (const f of filters) if (!applyFilter(f, record)) return;
  // winston-transport is a readable-stream v3 Writable: it has no `writableEnded`, only the state object.
  const state = (h as unknown as { _writableState?: { ended?: boolean; destroyed?: boolean } })
    ._writableState;
  if (state?.ended === true || state?.destroyed === true || h.destroyed) {
    reportDelivery(
      h,
      new Error(`a record for logger "${owner.name}" reached a transport that was already closed`),
    );
    return;
  }
  try {
    h.write(record);
  } catch (err) {
    reportDelivery(h, err);
  }
}

/** Whether any logger of the tree other than `except` still has the transport as a handler. */
function usedElsewhere(t: Transport, except?: ModuleLogger): boolean {
  for (const logger of registry.loggers.values()) {
    if (logger !== except && logger._py.handlers.includes(t)) return true;
  }
  return registry.root !== undefined && registry.root !== except && registry.root._py.handlers.includes(t);
}

function lastResort(info: TransformableInfo): void {
  const ctx = (info as { [PY_RECORD]?: RecordContext })[PY_RECORD];
  if (ctx === undefined) return;
  let line = mergedMessage(info, ctx);
  const exc = excTextOf(ctx, info);
  if (exc) line += (line.endsWith('\n') ? '' : '\n') + exc;
  process.stderr.write(line + '\n');
}

function currentStack(): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, currentStack);
  const lines = (holder.stack ?? '').split('\n').slice(1);
  return `Stack (most recent call last):\n${lines.join('\n')}`;
}

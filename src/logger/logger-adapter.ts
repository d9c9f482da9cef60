import { ConfigError, describeValue } from '../errors';
import type { LevelLike } from '../record/levels';
import { isPlainObject } from '../record/record';
import { ModuleLogger } from './module-logger';

/**
 * Python's keyword arguments of a log call, as the bundle takes them in a trailing object:
 * `{ exc_info, stack_info, extra }` (other keys are winston metadata and pass through).
 */
export interface LoggerAdapterKwargs {
  exc_info?: unknown;
  stack_info?: unknown;
  extra?: Readonly<Record<string, unknown>> | null | undefined;
  [key: string]: unknown;
}

/** The logger a {@link LoggerAdapter} wraps: a module logger, or another adapter (they nest). */
export type AdaptedLogger = ModuleLogger | LoggerAdapter;

// The trailing object of a call is Python's keyword arguments when it has one of these keys.
const KWARG_KEYS = ['exc_info', 'stack_info', 'extra'] as const;

/**
 * Python's `logging.LoggerAdapter(logger, extra)`, for code ported from Python: a logger-like object
 * whose calls go to `logger` with the keyword arguments {@link LoggerAdapter.process} returns — by
 * default `extra` set to the adapter's `extra`. As in CPython 3.11, the adapter's `extra` **replaces**
 * a call's own `{ extra }` (subclass and override `process` to merge them, or to change the message).
 * A call at a disabled level returns after the level check, as in CPython: `process` is not called,
 * and nothing is allocated.
 *
 * Keyword arguments are a trailing plain object with Python's keys: `adapter.error('Query failed: %s',
 * sql, { exc_info: err })`. It wraps a module logger (`createModuleLogger`) or another adapter; a plain
 * winston logger has `child(meta)` for the same purpose. For fields that should follow a request
 * through every module, see `runWithLogContext`.
 *
 * @example
 * ```ts
 * const log = new LoggerAdapter(createModuleLogger('app.jobs'), { jobId: 7 });
 * log.info('started'); // %(jobId)s renders 7
 * ```
 */
export class LoggerAdapter {
  /** The wrapped logger. */
  readonly logger: AdaptedLogger;
  /** The attributes every record of this adapter carries (Python's `extra`). */
  extra: Readonly<Record<string, unknown>> | null | undefined;

  /** @throws {@link ConfigError} when `logger` is not a module logger or adapter, or `extra` not a plain object. */
  constructor(logger: AdaptedLogger, extra?: Readonly<Record<string, unknown>> | null) {
    if (!(logger instanceof ModuleLogger) && !(logger instanceof LoggerAdapter)) {
      throw new ConfigError(
        `LoggerAdapter(logger): ${describeValue(logger)} is not allowed; use a module logger (createModuleLogger(name)) or a LoggerAdapter; a plain winston logger has child(meta) for the same purpose`,
      );
    }
    if (extra !== undefined && extra !== null && !isPlainObject(extra)) {
      throw new ConfigError(
        `LoggerAdapter(logger, extra): extra ${describeValue(extra)} is not allowed; use a plain object of record attributes`,
      );
    }
    this.logger = logger;
    this.extra = extra;
  }

  /**
   * Python's `process(msg, kwargs)`: returns the message and keyword arguments the call passes on.
   * The default sets `kwargs.extra` to the adapter's `extra` (replacing the caller's, as CPython 3.11).
   */
  process(msg: unknown, kwargs: LoggerAdapterKwargs): [unknown, LoggerAdapterKwargs] {
    kwargs.extra = this.extra;
    return [msg, kwargs];
  }

  /** Logs at DEBUG. */
  debug(msg: unknown, ...args: unknown[]): this;
  debug(msg: unknown): this {
    if (!this.enabled(10)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(10, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at INFO. */
  info(msg: unknown, ...args: unknown[]): this;
  info(msg: unknown): this {
    if (!this.enabled(20)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(20, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at WARNING. */
  warning(msg: unknown, ...args: unknown[]): this;
  warning(msg: unknown): this {
    if (!this.enabled(30)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(30, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at WARNING (Python's deprecated alias, winston's name). */
  warn(msg: unknown, ...args: unknown[]): this;
  warn(msg: unknown): this {
    if (!this.enabled(30)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(30, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at ERROR. */
  error(msg: unknown, ...args: unknown[]): this;
  error(msg: unknown): this {
    if (!this.enabled(40)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(40, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at ERROR with the traceback of the call's Error (or `NoneType: None`, as Python outside `except`). */
  exception(msg: unknown, ...args: unknown[]): this;
  exception(msg: unknown): this {
    if (!this.enabled(40)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(40, msg, Array.prototype.slice.call(arguments, 1), true);
  }

  /** Logs at CRITICAL. */
  critical(msg: unknown, ...args: unknown[]): this;
  critical(msg: unknown): this {
    if (!this.enabled(50)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(50, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at CRITICAL (Python's alias). */
  fatal(msg: unknown, ...args: unknown[]): this;
  fatal(msg: unknown): this {
    if (!this.enabled(50)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(50, msg, Array.prototype.slice.call(arguments, 1), false);
  }

  /** Logs at `level`: a Python level number or a level name (any case). */
  log(level: LevelLike, msg: unknown, ...args: unknown[]): this;
  log(level: LevelLike, msg: unknown): this {
    if (!this.enabled(level)) return this;
    // eslint-disable-next-line prefer-rest-params
    return this.logCall(level, msg, Array.prototype.slice.call(arguments, 2), false);
  }

  /** Python's `isEnabledFor(level)`, asked of the wrapped logger. */
  isEnabledFor(level: LevelLike): boolean {
    return this.logger.isEnabledFor(level);
  }

  /** Python's `getEffectiveLevel()` of the wrapped logger. */
  getEffectiveLevel(): number {
    return this.logger.getEffectiveLevel();
  }

  /** Python's `setLevel(level)`: sets the wrapped logger's level. */
  setLevel(level: LevelLike): this {
    this.logger.setLevel(level);
    return this;
  }

  /** Python's `hasHandlers()` of the wrapped logger. */
  hasHandlers(): boolean {
    return this.logger.hasHandlers();
  }

  /** The wrapped logger's name. */
  get name(): string {
    return this.logger.name;
  }

  // CPython's LoggerAdapter.log asks isEnabledFor before anything else (process included). Asked by
  // each level method before it reads its arguments, so that a disabled call allocates nothing: the
  // methods read `arguments` after the check instead of taking `...args`, which V8 builds on entry.
  private enabled(level: LevelLike): boolean {
    try {
      return this.isEnabledFor(level);
    } catch {
      // A level the tree does not know: the logger's log() judges it (delivered with winston's
      // warning, or reported): bad log data never throws into the caller.
      return true;
    }
  }

  // An enabled call; `args` is the call's own copy of its arguments after the message.
  private logCall(level: LevelLike, msg: unknown, args: unknown[], exception: boolean): this {
    // A trailing plain object with Python's keys is the call's keyword arguments (copied: process may
    // change it, and the caller's object stays as it was).
    const last = args[args.length - 1];
    let kwargs: LoggerAdapterKwargs = {};
    if (isPlainObject(last) && KWARG_KEYS.some((k) => Object.prototype.hasOwnProperty.call(last, k))) {
      kwargs = { ...last };
      args.pop();
    }
    const [message, processed] = this.process(msg, kwargs);
    const rest = args;
    const out: LoggerAdapterKwargs = { ...processed };
    // Python's extra=None: no attributes; an empty keyword set is not passed at all.
    if (out.extra === null || out.extra === undefined) delete out.extra;
    if (Object.keys(out).length > 0) {
      // A `%(key)s` message takes a single mapping, and the bundle reads keyword arguments after a
      // mapping from the mapping object itself (the keys of `extra` join it, where CPython keeps them
      // apart: only a mapping key that is also an extra key renders differently).
      const mapping = rest[0];
      if (
        rest.length === 1 &&
        isPlainObject(mapping) &&
        typeof message === 'string' &&
        message.includes('%(')
      )
        rest[0] = { ...mapping, ...out };
      else rest.push(out);
    }
    if (exception) this.logger.exception(message, ...rest);
    else this.logger.log(level, message, ...rest);
    return this;
  }
}

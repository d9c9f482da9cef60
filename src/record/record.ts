import type { TransformableInfo } from 'logform';
import { LEVEL, SPLAT } from 'triple-beam';
import type { CallSiteInfo } from './call-site';
import { getMessage } from './get-message';
import { LOAD_TIME, PROCESS_INFO } from './process-info';
import { formatException } from './traceback';
import { levelInfo } from './levels';
import type { PythonLogRecord } from './python-log-record';

/**
 * The key under which the bundle's loggers attach a {@link RecordContext} to each winston `info`.
 * A registered symbol, so that copies of the package agree on it; winston-transport's per-transport
 * `Object.assign` copy keeps it (symbols are copied), so every transport sees the same context object.
 */
export const PY_RECORD: unique symbol = Symbol.for('winston-pylogging.record') as never;

/** What a bundle logger knows about a call that a winston `info` cannot carry by itself. */
export interface RecordContext {
  /** Logger name (`root` for the root logger). */
  name: string;
  /** Epoch milliseconds of the log call. */
  created: number;
  /** Python level number; overrides the mapping of `info.level` (custom numeric levels). */
  levelno?: number;
  /** Python's `args` (a tuple as an array, or a mapping). */
  args?: readonly unknown[] | Readonly<Record<string, unknown>> | undefined;
  /** The exception to render as a traceback (Python's `exc_info`). */
  excInfo?: unknown;
  /** Python's `stack_info` text. */
  stackInfo?: string;
  /** Where the call was made, when some format asked for it. */
  callSite?: CallSiteInfo;
  /** Cache of the traceback text, shared by every format and transport that renders this record. */
  excText?: string;
}

// winston's own test for "this message takes splat arguments" (logger.js formatRegExp), used to tell
// whether a plain winston logger merged its first object argument into the info as metadata.
const WINSTON_TOKENS = /%[scdjifoO%]/;
// A Python `%` conversion other than `%%` (spec §1.3 grammar); mapping keys included.
const PY_SPEC = /%(?:\([^)]*\))?[#0+ -]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

/** Keys of an info that are winston's or Python's plumbing, never extra record attributes. */
const RESERVED = new Set(['level', 'message', 'splat', 'exc_info', 'stack_info']);

/** CPython's LogRecord attributes (plus `message` and `asctime`, which the Formatter sets). */
export const LOG_RECORD_ATTRIBUTES: ReadonlySet<string> = new Set([
  'name',
  'msg',
  'args',
  'levelname',
  'levelno',
  'pathname',
  'filename',
  'module',
  'exc_info',
  'exc_text',
  'stack_info',
  'lineno',
  'funcName',
  'created',
  'msecs',
  'relativeCreated',
  'thread',
  'threadName',
  'processName',
  'process',
  'message',
  'asctime',
]);

/**
 * winston's convention for a call's arguments: a trailing plain object that the message's positional
 * `%` conversions do not consume is metadata (`log.error('Query failed: %s', sql, { exc_info: err })`).
 * A message with `%(key)s` conversions consumes a single object as Python's mapping instead. Returns
 * the metadata (or undefined) and the remaining arguments.
 */
export function splitTrailingMeta(
  msg: unknown,
  args: readonly unknown[],
): { meta: Record<string, unknown> | undefined; args: readonly unknown[] } {
  const last: unknown = args[args.length - 1];
  if (
    args.length > 1 &&
    isPlainObject(last) &&
    typeof msg === 'string' &&
    !msg.includes('%(') &&
    countPercentSpecs(msg) < args.length
  ) {
    return { meta: last, args: args.slice(0, -1) };
  }
  return { meta: undefined, args };
}

/** Number of positional `%` conversions in a message (`%%` excluded). */
export function countPercentSpecs(msg: string): number {
  if (msg.indexOf('%') === -1) return 0;
  let n = 0;
  PY_SPEC.lastIndex = 0;
  for (let m = PY_SPEC.exec(msg); m !== null; m = PY_SPEC.exec(msg)) if (m[1] !== '%') n++;
  return n;
}

/** True for `{}`-like objects (Python mappings), not arrays, Errors, Dates, Buffers or class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Splits a call's arguments the Python way for a JS caller: a trailing Error that the message's `%`
 * conversions do not consume becomes `exc_info` (`log.error('Query failed', err)`); Python's
 * single-mapping rule turns `args == [m]` (non-empty plain object) into the mapping `m`.
 */
export function splitArgs(
  msg: unknown,
  args: readonly unknown[],
): { args: readonly unknown[] | Readonly<Record<string, unknown>> | undefined; excInfo: unknown } {
  let excInfo: unknown;
  let list = args;
  const last = list[list.length - 1];
  if (last instanceof Error && (typeof msg !== 'string' || countPercentSpecs(msg) < list.length)) {
    excInfo = last;
    list = list.slice(0, -1);
  }
  if (list.length === 0) return { args: undefined, excInfo };
  const first = list[0];
  if (list.length === 1 && isPlainObject(first) && Object.keys(first).length > 0)
    return { args: first, excInfo };
  return { args: list, excInfo };
}

/** The logger name of an info: the bundle's record name, else `info.logger`, else `info.label`, else `root`. */
export function loggerNameOf(info: TransformableInfo): string {
  const ctx = (info as { [PY_RECORD]?: RecordContext })[PY_RECORD];
  if (ctx !== undefined) return ctx.name;
  const { logger, label } = info as { logger?: unknown; label?: unknown };
  if (typeof logger === 'string') return logger;
  if (typeof label === 'string') return label;
  return 'root';
}

/**
 * Returns the {@link RecordContext} of an info, deriving one for records from plain winston loggers
 * (and caching it on the info, so every later format reuses it). For those, the time is "now" (formats
 * run synchronously inside the log call), Errors logged bare (`logger.error(err)`) or as an argument
 * (`logger.error('msg', err)`, which winston turns into `message: 'msg <err.message>'`) become
 * `exc_info`, and winston's splat becomes Python's args unless winston merged it as metadata.
 */
export function recordContextOf(info: TransformableInfo): RecordContext {
  const holder = info as TransformableInfo & { [PY_RECORD]?: RecordContext };
  const existing = holder[PY_RECORD];
  if (existing !== undefined) return existing;
  const ctx: RecordContext = { name: loggerNameOf(info), created: Date.now() };
  const bag = info as Record<string, unknown>;
  if (info instanceof Error) {
    ctx.excInfo = info;
  } else if (bag.exc_info !== undefined && bag.exc_info !== false && bag.exc_info !== null) {
    ctx.excInfo = bag.exc_info;
  }
  const splat = (info as { [SPLAT]?: unknown })[SPLAT];
  if (Array.isArray(splat) && splat.length > 0) {
    const first: unknown = splat[0];
    const msg = info.message;
    const mergedAsMeta =
      typeof first === 'object' && first !== null && !(typeof msg === 'string' && WINSTON_TOKENS.test(msg));
    if (mergedAsMeta) {
      if (first instanceof Error) {
        ctx.excInfo ??= first;
        // winston appended ` ${err.message}` to the message; Python keeps the caller's message.
        const suffix = ` ${first.message}`;
        if (typeof msg === 'string' && first.message && msg.endsWith(suffix)) {
          bag.message = msg.slice(0, -suffix.length);
        }
      }
    } else {
      // A trailing metadata object's keys become extra attributes, as winston's splat() merges them.
      const trailing = splitTrailingMeta(msg, splat);
      const list = trailing.args;
      if (trailing.meta !== undefined) {
        for (const [k, v] of Object.entries(trailing.meta)) if (!(k in bag)) bag[k] = v;
      }
      const split = splitArgs(msg, list);
      if (split.args !== undefined) ctx.args = split.args;
      if (split.excInfo !== undefined) ctx.excInfo ??= split.excInfo;
    }
  }
  if (typeof bag.stack_info === 'string' && bag.stack_info) ctx.stackInfo = bag.stack_info;
  holder[PY_RECORD] = ctx;
  return ctx;
}

/** Traceback text of a record, computed once and cached on its context (Python caches `exc_text`). */
export function excTextOf(ctx: RecordContext, info: TransformableInfo): string | undefined {
  if (ctx.excText !== undefined) return ctx.excText;
  if (ctx.excInfo !== undefined) {
    ctx.excText = formatException(ctx.excInfo);
    return ctx.excText;
  }
  // A copy of an Error that lost its prototype (winston-transport's Object.assign) still carries `stack`.
  const stack = (info as { stack?: unknown }).stack;
  if (typeof stack === 'string' && stack) {
    ctx.excText = stack;
    return stack;
  }
  return undefined;
}

/** The info's message as Python's `msg` (Errors logged bare contribute their message). */
export function msgOf(info: TransformableInfo): unknown {
  if (info instanceof Error) return info.message;
  return info.message;
}

/**
 * Python's `msg % args` for an info, never throwing: when the merge fails the way CPython's would
 * (`not enough arguments`, a bad conversion), the record is kept and the message reads
 * `<msg> <args…>` — CPython would print `--- Logging error ---` and drop the record instead.
 */
export function mergedMessage(info: TransformableInfo, ctx: RecordContext): string {
  const msg = msgOf(info);
  // The common case: a plain string and no arguments is Python's str(msg) — itself.
  if (ctx.args === undefined && typeof msg === 'string') return msg;
  try {
    return getMessage(msg, ctx.args);
  } catch {
    const rest: readonly unknown[] = Array.isArray(ctx.args)
      ? (ctx.args as readonly unknown[])
      : ctx.args === undefined
        ? []
        : [ctx.args];
    return [msg, ...rest].map((v) => safeText(v)).join(' ');
  }
}

function safeText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return getMessage(v, undefined);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Extra attributes of an info: its own enumerable string keys other than winston's and Python's plumbing. */
export function extrasOf(info: TransformableInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(info)) {
    if (!RESERVED.has(key)) out[key] = (info as Record<string, unknown>)[key];
  }
  return out;
}

/**
 * A full Python LogRecord (as `record.__dict__` would read) for a winston info: every standard
 * attribute plus the caller's metadata under `extra`. Used by transports that store whole records
 * (MongoDB); formats use the cheaper per-field path.
 */
export function toLogRecord(info: TransformableInfo): PythonLogRecord & { extra: Record<string, unknown> } {
  const ctx = recordContextOf(info);
  const levelName = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
  const li = levelInfo(typeof levelName === 'string' ? levelName : String(levelName));
  const levelno = ctx.levelno ?? li.levelno;
  const created = ctx.created;
  const cs = ctx.callSite;
  const excText = excTextOf(ctx, info);
  const record: PythonLogRecord & { extra: Record<string, unknown> } = {
    name: ctx.name,
    msg: msgOf(info),
    args: ctx.args ?? [],
    levelname: ctx.levelno !== undefined ? levelInfoByNo(levelno, li) : li.levelname,
    levelno,
    created: created / 1000,
    msecs: created % 1000,
    relativeCreated: created - LOAD_TIME,
    ...PROCESS_INFO,
    exc_info: ctx.excInfo ?? null,
    exc_text: excText ?? null,
    stack_info: ctx.stackInfo ?? null,
    message: mergedMessage(info, ctx),
    extra: extrasOf(info),
  };
  if (cs !== undefined) {
    record.pathname = cs.pathname;
    record.filename = cs.filename;
    record.module = cs.module;
    record.lineno = cs.lineno;
    record.funcName = cs.funcName;
  }
  return record;
}

function levelInfoByNo(levelno: number, fallback: { levelno: number; levelname: string }): string {
  return fallback.levelno === levelno ? fallback.levelname : levelInfo(`level ${levelno}`).levelname;
}

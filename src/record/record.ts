import type { TransformableInfo } from 'logform';
import { LEVEL, SPLAT } from 'triple-beam';
import { assignCallSite } from './call-site';
import type { CallSiteInfo } from './call-site';
import { getMessage } from './get-message';
import { LOAD_TIME, PROCESS_INFO } from './process-info';
import { formatException } from './traceback';
import { levelInfo } from './levels';
import type { StandardLogRecord } from './python-log-record';
import { splatOriginOf } from './splat-origin';

/**
 * The key under which the bundle's loggers attach a {@link RecordContext} to each winston `info`.
 * A registered symbol, so that copies of the package agree on it; winston-transport's per-transport
 * `Object.assign` copy keeps it (symbols are copied), so every transport sees the same context object.
 */
export const PY_RECORD: unique symbol = Symbol.for('winston-pylogging.record') as never;

/**
 * What a bundle logger knows about a call that a winston `info` cannot carry by itself: the call
 * context, captured once at the call, plus the caches of everything derived from it (the merged
 * message, the traceback text, the shared LogRecord), computed once on first use. Every copy of the
 * info (winston-transport copies it per transport) points at the same object, so ten transports
 * cost one merge and one traceback.
 */
export interface RecordContext {
  /** Logger name (`root` for the root logger). */
  name: string;
  /** Epoch milliseconds of the log call. */
  created: number;
  /** Python level number; overrides the mapping of `info.level` (custom numeric levels). */
  levelno?: number;
  /**
   * Python's `msg` where it differs from `info.message` (winston appends an Error argument's message
   * to `info.message`; Python keeps the caller's). Absent: `msg` is `info.message`.
   */
  msg?: unknown;
  /**
   * The `info.message` the logger produced (on a plain winston logger: before `splat()`, when it ran).
   * A format that changed `info.message` before `pythonFormat` (a redaction, `splat()`) is honoured:
   * the changed text is the message.
   */
  infoMessage?: unknown;
  /** Python's `args` (a tuple as an array, or a mapping). */
  args?: readonly unknown[] | Readonly<Record<string, unknown>> | undefined;
  /** The exception to render as a traceback (Python's `exc_info`). */
  excInfo?: unknown;
  /** Python's `stack_info` text. */
  stackInfo?: string;
  /** Where the call was made, when some format asked for it. */
  callSite?: CallSiteInfo;
  /** Extra attributes that are not keys of the info (a plain winston logger's trailing metadata). */
  extra?: Record<string, unknown>;
  /** The log context active at the call (see `runWithLogContext`), its fields added to the info once. */
  logContext?: Readonly<Record<string, unknown>>;
  /** Cache of the traceback text, shared by every format and transport that renders this record. */
  excText?: string;
  /** Cache of `msg % args` (Python's `record.getMessage()`). */
  message?: string;
  /** Cache of the standard LogRecord attributes (see {@link logRecordOf}). */
  record?: StandardLogRecord;
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
 * Returns the {@link RecordContext} of an info, deriving one for records that carry none (plain
 * winston loggers, `logger.write(info)`) and caching it on the info under {@link PY_RECORD}; the
 * info's own keys are never changed. For those, the time is "now" (formats run synchronously inside
 * the log call), `name` is `name` when given, else the info's logger name; Errors logged bare
 * (`logger.error(err)`), as `info.message`, as an argument (`logger.error('msg', err)`, which winston
 * turns into `message: 'msg <err.message>'`) or as an uncaught-exception info become `exc_info`, and
 * winston's splat becomes Python's args unless winston merged it as metadata. Where logform's
 * `splat()` ran before (see `watchSplat`), that is done on the call's message and arguments as logged,
 * and a message `splat()` interpolated is the final text (no args), as on the bundle's loggers.
 */
export function recordContextOf(info: TransformableInfo, name?: string): RecordContext {
  const holder = info as TransformableInfo & { [PY_RECORD]?: RecordContext };
  const existing = holder[PY_RECORD];
  if (existing !== undefined) return existing;
  const ctx: RecordContext = { name: name ?? loggerNameOf(info), created: Date.now() };
  const bag = info as Record<string, unknown>;
  // After winston's splat() the record is derived from the call as logged (splat() interpolated the
  // message and spliced arguments out of [SPLAT]); a message it interpolated is final (infoMessage).
  const origin = splatOriginOf(info);
  const msg: unknown = origin === undefined ? info.message : origin.message;
  if (info instanceof Error) {
    ctx.excInfo = info;
  } else if (msg instanceof Error) {
    ctx.excInfo = msg;
    ctx.msg = msg.message;
    ctx.infoMessage = msg;
  } else if (bag.exc_info !== undefined && bag.exc_info !== false && bag.exc_info !== null) {
    ctx.excInfo = bag.exc_info;
  } else if (bag.exception === true && bag.error instanceof Error) {
    // winston's uncaught-exception / unhandled-rejection info.
    ctx.excInfo = bag.error;
  }
  const splat = origin === undefined ? (info as { [SPLAT]?: unknown })[SPLAT] : origin.args;
  if (Array.isArray(splat) && splat.length > 0) {
    const first: unknown = splat[0];
    const mergedAsMeta =
      typeof first === 'object' && first !== null && !(typeof msg === 'string' && WINSTON_TOKENS.test(msg));
    if (mergedAsMeta) {
      if (first instanceof Error) {
        ctx.excInfo ??= first;
        // winston appended ` ${err.message}` to the message; Python keeps the caller's message.
        const suffix = ` ${first.message}`;
        if (typeof msg === 'string' && first.message && msg.endsWith(suffix)) {
          ctx.msg = msg.slice(0, -suffix.length);
          ctx.infoMessage = msg;
        }
      }
    } else {
      // A trailing metadata object's keys become extra attributes, as winston's splat() merges them.
      const trailing = splitTrailingMeta(msg, splat);
      const list = trailing.args;
      if (trailing.meta !== undefined) {
        for (const [k, v] of Object.entries(trailing.meta)) if (!(k in bag)) (ctx.extra ??= {})[k] = v;
      }
      const split = splitArgs(msg, list);
      if (split.args !== undefined) ctx.args = split.args;
      if (split.excInfo !== undefined) ctx.excInfo ??= split.excInfo;
    }
  }
  if (typeof bag.stack_info === 'string' && bag.stack_info) ctx.stackInfo = bag.stack_info;
  if (origin !== undefined) ctx.infoMessage ??= origin.message;
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

/** True when a format before this one replaced the message the logger produced (see `infoMessage`). */
function messageReplaced(info: TransformableInfo, ctx: RecordContext): boolean {
  return ctx.infoMessage !== undefined && info.message !== undefined && info.message !== ctx.infoMessage;
}

/** The info's message as Python's `msg` (Errors logged bare contribute their message). */
export function msgOf(info: TransformableInfo, ctx?: RecordContext): unknown {
  if (ctx !== undefined && ctx.msg !== undefined && !messageReplaced(info, ctx)) return ctx.msg;
  if (info instanceof Error) return info.message;
  return info.message;
}

/** Python's `args` of an info: none when a format already replaced the message with its final text. */
export function argsOf(
  info: TransformableInfo,
  ctx: RecordContext,
): readonly unknown[] | Readonly<Record<string, unknown>> | undefined {
  return messageReplaced(info, ctx) ? undefined : ctx.args;
}

/**
 * Python's `msg % args` for an info, computed once per call and cached on its context, never
 * throwing: when the merge fails the way CPython's would (`not enough arguments`, a bad conversion),
 * the record is kept and the message reads `<msg> <args…>` — CPython would print
 * `--- Logging error ---` and drop the record instead.
 */
export function mergedMessage(info: TransformableInfo, ctx: RecordContext): string {
  if (messageReplaced(info, ctx)) return safeText(info.message);
  if (ctx.message !== undefined) return ctx.message;
  const msg = msgOf(info, ctx);
  // The common case: a plain string and no arguments is Python's str(msg) — itself.
  if (ctx.args === undefined && typeof msg === 'string') return (ctx.message = msg);
  try {
    ctx.message = getMessage(msg, ctx.args);
  } catch {
    const rest: readonly unknown[] = Array.isArray(ctx.args)
      ? (ctx.args as readonly unknown[])
      : ctx.args === undefined
        ? []
        : [ctx.args];
    ctx.message = [msg, ...rest].map((v) => safeText(v)).join(' ');
  }
  return ctx.message;
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
  const ctx = (info as { [PY_RECORD]?: RecordContext })[PY_RECORD];
  if (ctx?.extra !== undefined) Object.assign(out, ctx.extra);
  return out;
}

/** One extra attribute of an info: the call's own trailing metadata first, else the info's key. */
export function extraOf(info: TransformableInfo, ctx: RecordContext, key: string): unknown {
  const extra = ctx.extra;
  if (extra !== undefined && Object.prototype.hasOwnProperty.call(extra, key)) return extra[key];
  return (info as Record<string, unknown>)[key];
}

/**
 * The one LogRecord of a call: every standard attribute of CPython's `LogRecord` (`message` merged),
 * built on first use and cached on the call's context, so every format and transport that reads the
 * record shares it. Call-site attributes are present when the call site was captured. Where a format
 * before the reader replaced `info.message`, the reader gets its own copy with that message. Readers
 * must not change it (copy it first; `pythonFormat` does).
 */
export function logRecordOf(info: TransformableInfo): Readonly<StandardLogRecord> {
  const ctx = recordContextOf(info);
  const record = ctx.record;
  if (record === undefined) {
    const levelName = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
    const li = levelInfo(typeof levelName === 'string' ? levelName : String(levelName));
    const levelno = ctx.levelno ?? li.levelno;
    const created = ctx.created;
    const excText = excTextOf(ctx, info);
    const built: StandardLogRecord = {
      name: ctx.name,
      msg: msgOf(info, ctx),
      args: argsOf(info, ctx) ?? [],
      levelname: levelno === li.levelno ? li.levelname : levelInfo(`level ${levelno}`).levelname,
      levelno,
      created: created / 1000,
      msecs: created % 1000,
      relativeCreated: created - LOAD_TIME,
      thread: PROCESS_INFO.thread,
      threadName: PROCESS_INFO.threadName,
      processName: PROCESS_INFO.processName,
      process: PROCESS_INFO.process,
      exc_info: ctx.excInfo ?? null,
      exc_text: excText ?? null,
      stack_info: ctx.stackInfo ?? null,
      message: mergedMessage(info, ctx),
    };
    assignCallSite(built, ctx.callSite);
    if (!messageReplaced(info, ctx)) ctx.record = built;
    return built;
  }
  if (messageReplaced(info, ctx)) {
    return { ...record, msg: info.message, args: [], message: mergedMessage(info, ctx) };
  }
  return record;
}

/**
 * A full Python LogRecord (as `record.__dict__` would read) for a winston info: every standard
 * attribute plus the caller's metadata under `extra`. Used by transports that store whole records
 * (MongoDB); a new object each call, copied from the shared {@link logRecordOf} record.
 */
export function toLogRecord(info: TransformableInfo): StandardLogRecord & { extra: Record<string, unknown> } {
  return { ...logRecordOf(info), extra: extrasOf(info) };
}

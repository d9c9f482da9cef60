import type { TransformableInfo } from 'logform';
import { LEVEL, SPLAT } from 'triple-beam';
import { callSiteWanted, captureCallSite } from '../record/call-site';
import {
  LOG_RECORD_ATTRIBUTES,
  PY_RECORD,
  isPlainObject,
  splitArgs,
  splitTrailingMeta,
} from '../record/record';
import type { RecordContext } from '../record/record';
import { withoutContextKeys } from '../context/apply-log-context';
import { logContextStorage } from '../context/log-context-storage';
import { reportOnce } from './dispatch';
import { registry } from './registry';

// winston's own test for "this message takes splat arguments" (logger.js formatRegExp).
const WINSTON_TOKENS = /%[scdjifoO%]/;

/**
 * Builds the winston `info` of one log call and its Python call context, captured once; never throws
 * (outside compatibility mode).
 *
 * The info is exactly what a plain winston logger builds for the same call (winston 3.19's `log()` and
 * level methods), so every logform format and transport sees what it would see on winston: `message`,
 * `level`, `[LEVEL]`, `[SPLAT]`, defaultMeta, a first metadata object merged (with winston's
 * `message`/`stack`/`cause` handling of an Error argument), and the caller's own object used as the
 * info for `log.info({ message })` and `log.error(err)`. Python's view of the same call — `msg`,
 * `args`, `exc_info`, `stack_info`, `extra`, the time and the call site — goes into the
 * {@link RecordContext} under {@link PY_RECORD}. Python's plumbing keys (`exc_info`, `stack_info`,
 * `extra`) never reach the info; `extra`'s keys do, as record attributes.
 *
 * @param owner - the logger's node (its name; the key of the one report of unreadable data)
 * @param argc - how many arguments the caller passed after the level (the message included)
 * @param viaLog - `log(level, obj)` (winston uses any object as the info) rather than a level method
 *   (winston uses an object only when it has a truthy `message`)
 */
export function makeCallInfo(
  owner: { readonly name: string },
  defaultMeta: unknown,
  levelName: string,
  levelno: number,
  message: unknown,
  args: readonly unknown[],
  argc: number,
  viaLog: boolean,
  forceExc: boolean,
): TransformableInfo {
  const name = owner.name;
  try {
    let info: Record<string | symbol, unknown>;
    const ctx: RecordContext = { name, created: Date.now(), levelno };
    // Log context (src/context): read once per call. Its fields join the info in ModuleLogger._accept,
    // after child() bindings (which win over them); here only defaultMeta gives way to them.
    const logContext = logContextStorage.getStore();
    if (logContext !== undefined) {
      ctx.logContext = logContext;
      if (defaultMeta) defaultMeta = withoutContextKeys(defaultMeta, logContext);
    }
    let meta: Record<string, unknown> | undefined;
    if (argc <= 1) {
      const useAsInfo =
        message !== null &&
        typeof message === 'object' &&
        (viaLog || Boolean((message as { message?: unknown }).message));
      // An object with Python plumbing keys is copied, so taking those keys out never touches the caller's.
      info = !useAsInfo
        ? { message: argc === 0 ? '' : message }
        : isPlainObject(message) && hasPlumbing(message)
          ? { ...message }
          : (message as Record<string, unknown>);
      info.level = levelName;
      info[LEVEL] = levelName;
      if (defaultMeta) Object.assign(info, defaultMeta);
      if (message instanceof Error) {
        ctx.excInfo = message;
        ctx.msg = message.message;
      } else if (useAsInfo && isPlainObject(message)) {
        // winston's info-object call: log.info({ message: 'x', user: 1 }); Python plumbing keys apply.
        ctx.msg = message.message;
        meta = message;
      }
    } else if (
      argc === 2 &&
      typeof message === 'string' &&
      message.indexOf('%') === -1 &&
      isPlainObject(args[0]) &&
      !hasPlumbing(args[0])
    ) {
      // The commonest shape with data, `log.info('user logged in', { user })`, without the general
      // splitting below: the info is winston's (the object merged, then level and message), and for
      // Python the object is the one mapping argument (when it has keys), which is also the metadata.
      const first = args[0];
      info = defaultMeta ? Object.assign({}, defaultMeta, first) : Object.assign({}, first);
      info[LEVEL] = levelName;
      info[SPLAT] = args;
      info.level = levelName;
      info.message = message;
      if (first.message) info.message = `${message} ${String(first.message)}`;
      if (first.stack) info.stack = first.stack;
      if (first.cause) info.cause = first.cause;
      ctx.msg = message;
      ctx.args = hasOwnKey(first) ? first : args.slice();
    } else {
      const first = args[0];
      if (
        typeof first === 'object' &&
        first !== null &&
        !(typeof message === 'string' && message.indexOf('%') !== -1 && WINSTON_TOKENS.test(message))
      ) {
        info = Object.assign({}, defaultMeta, first, {
          [LEVEL]: levelName,
          [SPLAT]: args,
          level: levelName,
          message,
        });
        const m = first as { message?: unknown; stack?: unknown; cause?: unknown };
        if (m.message) info.message = `${String(info.message)} ${String(m.message)}`;
        if (m.stack) info.stack = m.stack;
        if (m.cause) info.cause = m.cause;
        ctx.msg = message;
      } else if (defaultMeta) {
        info = Object.assign({}, defaultMeta, {
          [LEVEL]: levelName,
          [SPLAT]: args,
          level: levelName,
          message,
        });
      } else {
        info = { [LEVEL]: levelName, [SPLAT]: args, level: levelName, message };
      }
      if (message instanceof Error) {
        ctx.excInfo = message;
        ctx.msg = message.message;
      }
      const trailing = splitTrailingMeta(message, args);
      const split = splitArgs(message, trailing.args);
      let pyArgs = split.args;
      if (split.excInfo !== undefined) ctx.excInfo = split.excInfo;
      meta = trailing.meta;
      // The JS convention of a trailing metadata object: its keys are record attributes (%(user)s), kept
      // beside the info as winston keeps it in [SPLAT], and they win over defaultMeta as splat() makes them.
      // Python's keyword arguments in it (exc_info, stack_info, extra) are plumbing, not attributes.
      if (meta !== undefined) ctx.extra = hasPlumbing(meta) ? withoutPlumbing(meta) : meta;
      // A single object argument is both Python's mapping and winston's metadata (read only: no copy
      // unless two objects must be merged).
      const single =
        pyArgs !== undefined && !Array.isArray(pyArgs)
          ? (pyArgs as Record<string, unknown>)
          : trailing.args.length === 1 && isPlainObject(trailing.args[0])
            ? trailing.args[0]
            : undefined;
      if (single !== undefined) meta = meta === undefined ? single : { ...single, ...meta };
      if (meta !== undefined && hasPlumbing(meta)) {
        pyArgs = applyPlumbing(meta, info, ctx, pyArgs);
      }
      // The info's [SPLAT] is `args` itself (winston's), and logform's splat() splices it: Python's args
      // are the call's own, so they get their own array.
      if (pyArgs !== undefined) ctx.args = pyArgs === args ? args.slice() : pyArgs;
      meta = undefined;
    }
    if (meta !== undefined && hasPlumbing(meta)) applyPlumbing(meta, info, ctx, undefined);
    if (forceExc && ctx.excInfo === undefined) ctx.excInfo = null;
    ctx.infoMessage = info.message;
    // winston-transport's per-transport copy of an Error info loses `message` (not enumerable): keep msg.
    // (Set to undefined, not deleted: a delete turns the context into a slow dictionary-mode object.)
    if (ctx.msg === info.message && !(info instanceof Error)) ctx.msg = undefined;
    if (callSiteWanted()) ctx.callSite = captureCallSite();
    info[PY_RECORD] = ctx;
    return info as TransformableInfo;
  } catch (err) {
    // Bad log data never throws into the caller: a message or argument that cannot even be read (a
    // revoked Proxy, a throwing getter or trap) is logged as a record that says so, reported once per
    // logger. Compatibility mode keeps CPython's raise (an `extra` key overwriting a record attribute).
    if (registry.pythonCompat) throw err;
    const why = describeError(err);
    reportOnce(
      owner,
      `a log call's message or arguments could not be read (${why}); logged as a placeholder`,
    );
    const ctx: RecordContext = { name, created: Date.now(), levelno };
    return {
      level: levelName,
      message: `<unreadable log message: ${why}>`,
      [LEVEL]: levelName,
      [PY_RECORD]: ctx,
    };
  }
}

// Python's keyword arguments; `extra` only as a mapping (`{ extra: 1 }` is just a field).
function describeError(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    return 'an unreadable error';
  }
}

// Object.keys(o).length > 0 (splitArgs' test for Python's single mapping) without building the array.
function hasOwnKey(o: Record<string, unknown>): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

function hasPlumbing(meta: Record<string, unknown>): boolean {
  return meta.exc_info !== undefined || meta.stack_info !== undefined || isPlainObject(meta.extra);
}

function withoutPlumbing(meta: Record<string, unknown>): Record<string, unknown> {
  const { exc_info: _x, stack_info: _s, ...rest } = meta;
  if (isPlainObject(meta.extra)) delete rest.extra;
  return rest;
}

/**
 * Python's keyword arguments given in a metadata object (`{ exc_info: err }`, `{ stack_info: true }`,
 * `{ extra: { user } }`): they set the record's exception, stack and extra attributes, and are taken
 * out of the info. Returns the mapping args with the plumbing removed (Python's single-mapping rule).
 */
function applyPlumbing(
  meta: Record<string, unknown>,
  info: Record<string | symbol, unknown>,
  ctx: RecordContext,
  pyArgs: RecordContext['args'],
): RecordContext['args'] {
  const { exc_info, stack_info, ...others } = meta;
  const extra = isPlainObject(meta.extra) ? meta.extra : undefined;
  const rest = extra !== undefined ? (({ extra: _e, ...r }) => r)(others) : others;
  if (
    exc_info instanceof Error ||
    (exc_info !== undefined && exc_info !== false && exc_info !== true && exc_info !== null)
  )
    ctx.excInfo = exc_info;
  // JS has no "exception being handled": exc_info: true renders as Python's does outside an except
  // block ('NoneType: None'), never silently nothing.
  if (exc_info === true) ctx.excInfo = null;
  if (stack_info === true) ctx.stackInfo = currentStack();
  else if (typeof stack_info === 'string') ctx.stackInfo = stack_info;
  if (isPlainObject(extra)) {
    if (registry.pythonCompat) {
      for (const key of Object.keys(extra)) {
        if (LOG_RECORD_ATTRIBUTES.has(key))
          throw new Error(`KeyError: "Attempt to overwrite '${key}' in LogRecord"`);
      }
    }
    Object.assign(info, extra);
  }
  for (const key of extra !== undefined ? ['exc_info', 'stack_info', 'extra'] : ['exc_info', 'stack_info']) {
    if (Object.prototype.hasOwnProperty.call(info, key) && info[key] === meta[key]) delete info[key];
  }
  if (pyArgs !== undefined && !Array.isArray(pyArgs)) {
    const mapping = isPlainObject(extra) ? { ...rest, ...extra } : rest;
    return Object.keys(mapping).length > 0 ? mapping : undefined;
  }
  return pyArgs;
}

function currentStack(): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, currentStack);
  const lines = (holder.stack ?? '').split('\n').slice(1);
  return `Stack (most recent call last):\n${lines.join('\n')}`;
}

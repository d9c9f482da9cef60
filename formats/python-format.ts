import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import { ConfigError, describeValue } from '../src/errors';
import { UNKNOWN_CALL_SITE, assignCallSite, captureCallSite, requireCallSite } from '../src/record/call-site';
import { pyRepr } from './python/py-repr';
import { registry } from '../src/logger/registry';
import { PythonFormatError } from './python/python-format-error';
import type { PythonLogRecord, StandardLogRecord } from '../src/record/python-log-record';
import { RENDER_LINE } from '../src/record/direct-write';
import type { RenderLine } from '../src/record/direct-write';
import {
  LOG_RECORD_ATTRIBUTES,
  PY_RECORD,
  extraOf,
  logRecordOf,
  mergedMessage,
  msgOf,
  recordContextOf,
} from '../src/record/record';
import { watchSplat } from '../src/record/splat-origin';
import { compilePythonFormat } from './python/compile-python-format';
import type { CompilePythonFormatOptions, CompiledPythonFormat } from './python/compile-python-format';

/** Options for {@link pythonFormat}: the format string plus `logging.Formatter`'s options. */
export interface PythonFormatOptions extends CompilePythonFormatOptions {
  /**
   * The format string, as given to `logging.Formatter(fmt)`.
   * @defaultValue `'%(message)s'` (CPython's Formatter default)
   */
  format?: string | null;
}

const CALL_SITE_FIELDS = new Set(['pathname', 'filename', 'module', 'lineno', 'funcName']);
const STANDARD = LOG_RECORD_ATTRIBUTES;
const KNOWN_OPTIONS = new Set([
  'format',
  'datefmt',
  'style',
  'validate',
  'defaults',
  'defaultTimeFormat',
  'defaultMsecFormat',
  'utc',
]);

// Format-time failures are reported once per format and error text, like a handler's handleError but
// without flooding stderr with one report per record.
const reported = new Set<string>();
function reportOnce(fmt: string, err: unknown): void {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const key = `${fmt}\u0000${text}`;
  if (reported.has(key)) return;
  reported.add(key);
  process.stderr.write(
    `winston-pylogging: --- Logging error --- format ${JSON.stringify(fmt)} failed (${text}); ` +
      `the record was kept and rendered as '%(levelname)s:%(name)s:%(message)s'\n`,
  );
}

/**
 * The logform format that renders a winston `info` with a Python format string, exactly as CPython's
 * `logging.Formatter` would, into `info[MESSAGE]`. Works on a logger and on a single transport.
 *
 * How an info maps to a LogRecord: `name` is the module logger's name (`info.logger` or `info.label`
 * on plain winston loggers, else `root`); `levelname`/`levelno` follow the bundle's levels (winston's
 * npm names map as documented); `created` is the time of the call; `msg`/`args` are the message and its
 * `%` arguments (merged with Python's rules); metadata keys are extra attributes (`%(user)s`);
 * Errors logged bare, as an argument or as `{ exc_info: err }` are rendered as a traceback after the
 * line. Call-site fields (`%(lineno)d`, `%(filename)s`, `%(funcName)s`, `%(module)s`, `%(pathname)s`)
 * are captured only when a format uses them. The format never throws at log time: a record the format
 * cannot render (a missing `%(user)s`) is kept, rendered as `LEVEL:name:message`, and reported once on stderr.
 *
 * @throws {@link PythonFormatError} when CPython's Formatter would reject the format (at creation).
 * @example
 * ```ts
 * createLogger({ format: pythonFormat({ format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' }) })
 * ```
 */
export function pythonFormat(options: PythonFormatOptions | string = {}): Format {
  // The first thing a Python developer types: pythonFormat('%(levelname)s:%(name)s:%(message)s').
  if (typeof options === 'string') options = { format: options };
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `pythonFormat: options ${describeValue(options)} is not allowed; use a format string or { format, datefmt, style, ... }`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new ConfigError(`pythonFormat.${key}: unknown option; allowed: ${[...KNOWN_OPTIONS].join(', ')}`);
    }
  }
  const { format: fmt, ...compileOptions } = options;
  if (fmt !== undefined && fmt !== null && typeof fmt !== 'string') {
    throw new ConfigError(
      `pythonFormat.format: ${describeValue(fmt)} is not allowed; use a Python format string`,
    );
  }
  const compiled = compilePythonFormat(fmt ?? null, compileOptions);
  // A plain winston logger's splat() before this format interpolates the message: note it, so the
  // record takes that message as final instead of merging the arguments into it again.
  watchSplat();
  const render = makeRender(compiled);
  const instance = format((info: TransformableInfo) => {
    const line = render(info);
    if (line === false) return false;
    (info as Record<symbol, unknown>)[MESSAGE] = line;
    return info;
  })();
  // The same line without writing into the info: a transport that stores lines needs no copy of the
  // info for this format to write into (only for a call's record, whose context is already attached).
  const renderLine: RenderLine = (info) =>
    (info as Record<symbol, unknown>)[PY_RECORD] === undefined
      ? undefined
      : render(info as TransformableInfo);
  Object.defineProperty(instance, RENDER_LINE, { value: renderLine });
  // Loggers capture call sites only while a format that renders them is alive (held weakly).
  if (compiled.fields.some((f) => CALL_SITE_FIELDS.has(f))) requireCallSite(instance);
  return instance;
}

/**
 * CPython's `--- Logging error ---` report, condensed to one line (CPython prints the traceback too):
 * what compatibility mode prints for a record it drops because it cannot be formatted.
 */
export function reportPythonStyle(err: unknown, msg: unknown): void {
  const type =
    err instanceof PythonFormatError ? err.pythonType : err instanceof Error ? err.name : 'Exception';
  const text = err instanceof Error ? err.message : String(err);
  process.stderr.write(`--- Logging error --- [${type}: ${text}] Message: ${pyRepr(msg)}\n`);
}

/** The line `pythonFormat`'s transform puts into `info[MESSAGE]`, or false where it drops the record. */
function makeRender(compiled: CompiledPythonFormat): (info: TransformableInfo) => string | false {
  const fields = compiled.fields;
  const wantsCallSite = fields.some((f) => CALL_SITE_FIELDS.has(f));
  // Only `%(msg)s`/`%(args)s` need the raw pair; otherwise the record carries the merged message, so a
  // bad `%` merge can never make the line fail.
  const wantsRawMsg = fields.includes('msg') || fields.includes('args');
  const extras = fields.filter((f) => !STANDARD.has(f));
  // A format that reads only standard attributes (not msg/args) can render the shared record as it is.
  const direct = extras.length === 0 && !wantsRawMsg;
  const needs: Needs = {
    callSite: wantsCallSite,
    relativeCreated: fields.includes('relativeCreated'),
    processInfo: fields.some(
      (f) => f === 'thread' || f === 'threadName' || f === 'process' || f === 'processName',
    ),
  };

  return (info) => {
    const ctx = recordContextOf(info);
    // Formats run synchronously inside the log call, so the caller's frames are still on the stack.
    if (wantsCallSite && ctx.callSite === undefined) ctx.callSite = captureCallSite();
    const compat = registry.pythonCompat;
    const shared = logRecordOf(info);
    // The common case renders the call's shared record itself, as CPython's Formatter renders the one
    // LogRecord (writing `asctime` into it): no copy, no second merge of msg % args.
    if (direct && !compat && (!needs.callSite || shared.lineno !== undefined)) {
      try {
        return compiled.formatMerged(shared);
      } catch {
        // Rendered again below on a copy, where the failure is handled and reported.
      }
    }
    // In Python compatibility mode the engine merges msg % args itself, so a bad merge fails the way
    // CPython's Formatter.format fails.
    const record = viewOf(shared, wantsRawMsg || compat, needs);
    if (needs.callSite && record.lineno === undefined)
      assignCallSite(record, ctx.callSite ?? UNKNOWN_CALL_SITE);
    for (const key of extras) {
      const value = extraOf(info, ctx, key);
      if (value !== undefined) record[key] = value;
    }
    let line: string;
    try {
      line = compiled(record);
    } catch (err) {
      if (compat) {
        reportPythonStyle(err, msgOf(info, ctx));
        return false;
      }
      reportOnce(compiled.fmt, err);
      line = `${String(record.levelname)}:${String(record.name)}:${mergedMessage(info, ctx)}`;
      if (record.exc_text) line += (line.endsWith('\n') ? '' : '\n') + String(record.exc_text);
    }
    return line;
  };
}

/** Which optional record attributes a format reads, decided once when the format is built. */
interface Needs {
  callSite: boolean;
  relativeCreated: boolean;
  processInfo: boolean;
}

/**
 * This format's working copy of the call's shared LogRecord: only what the format reads (the engine
 * writes `message` and `asctime` into it, as CPython's Formatter writes into the record).
 */
function viewOf(shared: Readonly<StandardLogRecord>, rawMsg: boolean, needs: Needs): PythonLogRecord {
  const record: PythonLogRecord = {
    name: shared.name,
    msg: rawMsg ? shared.msg : shared.message,
    args: rawMsg ? shared.args : [],
    levelname: shared.levelname,
    levelno: shared.levelno,
    exc_info: null,
    exc_text: shared.exc_text,
    stack_info: shared.stack_info,
    created: shared.created,
    msecs: shared.msecs,
  };
  if (needs.callSite && shared.lineno !== undefined) {
    record.pathname = shared.pathname ?? null;
    record.filename = shared.filename ?? null;
    record.module = shared.module ?? null;
    record.lineno = shared.lineno;
    record.funcName = shared.funcName ?? null;
  }
  if (needs.relativeCreated) record.relativeCreated = shared.relativeCreated;
  if (needs.processInfo) {
    record.thread = shared.thread;
    record.threadName = shared.threadName;
    record.processName = shared.processName;
    record.process = shared.process;
  }
  return record;
}

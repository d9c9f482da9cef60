import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { LEVEL, MESSAGE } from 'triple-beam';
import { ConfigError, describeValue } from '../src/errors';
import { UNKNOWN_CALL_SITE, captureCallSite, requireCallSite } from '../src/record/call-site';
import { pyRepr } from './python/py-repr';
import { registry } from '../src/logger/registry';
import { PythonFormatError } from './python/python-format-error';
import { LOAD_TIME, PROCESS_INFO } from '../src/record/process-info';
import { levelInfo } from '../src/record/levels';
import type { PythonLogRecord } from '../src/record/python-log-record';
import {
  LOG_RECORD_ATTRIBUTES,
  excTextOf,
  mergedMessage,
  msgOf,
  recordContextOf,
} from '../src/record/record';
import type { RecordContext } from '../src/record/record';
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
export function pythonFormat(options: PythonFormatOptions = {}): Format {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`pythonFormat: options ${describeValue(options)} is not allowed; use an object`);
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
  return format(makeTransform(compiled))();
}

/** CPython's `--- Logging error ---` report, condensed to one line (CPython prints the traceback too). */
function reportPythonStyle(err: unknown, msg: unknown): void {
  const type =
    err instanceof PythonFormatError ? err.pythonType : err instanceof Error ? err.name : 'Exception';
  const text = err instanceof Error ? err.message : String(err);
  process.stderr.write(`--- Logging error --- [${type}: ${text}] Message: ${pyRepr(msg)}\n`);
}

function makeTransform(
  compiled: CompiledPythonFormat,
): (info: TransformableInfo) => TransformableInfo | false {
  const fields = compiled.fields;
  const wantsCallSite = fields.some((f) => CALL_SITE_FIELDS.has(f));
  if (wantsCallSite) requireCallSite();
  // Only `%(msg)s`/`%(args)s` need the raw pair; otherwise the record carries the merged message, so a
  // bad `%` merge can never make the line fail.
  const wantsRawMsg = fields.includes('msg') || fields.includes('args');
  const extras = fields.filter((f) => !STANDARD.has(f));
  const needs: Needs = {
    callSite: wantsCallSite,
    relativeCreated: fields.includes('relativeCreated'),
    processInfo: fields.some(
      (f) => f === 'thread' || f === 'threadName' || f === 'process' || f === 'processName',
    ),
  };

  return (info) => {
    const ctx = recordContextOf(info);
    if (wantsCallSite && ctx.callSite === undefined) ctx.callSite = captureCallSite();
    const compat = registry.pythonCompat;
    // In Python compatibility mode the engine merges msg % args itself, so a bad merge fails the way
    // CPython's Formatter.format fails.
    const record = buildRecord(info, ctx, wantsRawMsg || compat, needs);
    for (const key of extras) {
      const value = (info as Record<string, unknown>)[key];
      if (value !== undefined) record[key] = value;
    }
    let line: string;
    try {
      line = compiled(record);
    } catch (err) {
      if (compat) {
        reportPythonStyle(err, msgOf(info));
        return false;
      }
      reportOnce(compiled.fmt, err);
      line = `${String(record.levelname)}:${String(record.name)}:${mergedMessage(info, ctx)}`;
      if (record.exc_text) line += (line.endsWith('\n') ? '' : '\n') + String(record.exc_text);
    }
    (info as Record<symbol, unknown>)[MESSAGE] = line;
    return info;
  };
}

/** Which optional record attributes a format reads, decided once when the format is built. */
interface Needs {
  callSite: boolean;
  relativeCreated: boolean;
  processInfo: boolean;
}

function buildRecord(
  info: TransformableInfo,
  ctx: RecordContext,
  rawMsg: boolean,
  needs: Needs,
): PythonLogRecord {
  const levelName = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
  const li = levelInfo(typeof levelName === 'string' ? levelName : String(levelName));
  const created = ctx.created;
  const excText = excTextOf(ctx, info);
  let levelno = li.levelno;
  let levelname = li.levelname;
  if (ctx.levelno !== undefined && ctx.levelno !== levelno) {
    levelno = ctx.levelno;
    levelname = levelInfo(`level ${levelno}`).levelname;
  }
  // Only what the format reads is built: this object is made once per record and per format.
  const record: PythonLogRecord = {
    name: ctx.name,
    msg: rawMsg ? msgOf(info) : mergedMessage(info, ctx),
    args: rawMsg ? (ctx.args ?? []) : [],
    levelname,
    levelno,
    exc_info: null,
    exc_text: excText ?? null,
    stack_info: ctx.stackInfo ?? null,
    created: created / 1000,
    msecs: created % 1000,
  };
  if (needs.callSite) {
    const cs = ctx.callSite ?? UNKNOWN_CALL_SITE;
    record.pathname = cs.pathname;
    record.filename = cs.filename;
    record.module = cs.module;
    record.lineno = cs.lineno;
    record.funcName = cs.funcName;
  }
  if (needs.relativeCreated) record.relativeCreated = created - LOAD_TIME;
  if (needs.processInfo) {
    record.thread = PROCESS_INFO.thread;
    record.threadName = PROCESS_INFO.threadName;
    record.processName = PROCESS_INFO.processName;
    record.process = PROCESS_INFO.process;
  }
  return record;
}

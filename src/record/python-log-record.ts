/**
 * A log record with CPython's `LogRecord` attribute names, as rendered by `compilePythonFormat`.
 *
 * JavaScript conventions for Python values:
 * - `created` is epoch **seconds** (a float, like `time.time()`); `msecs` and `relativeCreated` are
 *   milliseconds. These three are always rendered as Python floats, even when integral
 *   (`%(msecs)s` gives `123.0`, `%(created)s` gives `1700000000.0`).
 * - `args`: an array is a Python tuple, a plain object a mapping (as after `LogRecord`'s single-mapping
 *   unwrap); `null`, `undefined` or an empty array means no `%` merging of `msg`.
 * - `exc_info`: any thrown value; when `exc_text` is falsy the formatter renders it with
 *   `formatException` and caches the text in `exc_text`.
 * - `null` and `undefined` render as `None`. An attribute that is absent (not `in` the record) is a
 *   missing field: `defaults` are consulted, then formatting fails like Python's `KeyError`.
 */
export interface PythonLogRecord {
  /** Logger name (`root` for the root logger). */
  name?: string;
  /** The message or message template (any value; non-strings are `str()`-ed). */
  msg?: unknown;
  /** `%` arguments of `msg`: array = tuple, plain object = mapping. */
  args?: unknown;
  /** Level name, e.g. `INFO` or `Level 25`. */
  levelname?: string;
  /** Level number, e.g. 20. */
  levelno?: number;
  /** Full path of the calling source file. */
  pathname?: string | null;
  /** Base name of `pathname`. */
  filename?: string | null;
  /** `filename` without its extension. */
  module?: string | null;
  /** The error being logged, rendered as a traceback when `exc_text` is falsy. */
  exc_info?: unknown;
  /** Cached traceback text; set by the formatter from `exc_info`. */
  exc_text?: string | null;
  /** Stack text appended after the traceback (`Stack (most recent call last):` …). */
  stack_info?: string | null;
  /** Calling line number. */
  lineno?: number | null;
  /** Calling function name. */
  funcName?: string | null;
  /** Epoch seconds (float) of the call. */
  created?: number;
  /** Milliseconds part of `created` (float, truncated). */
  msecs?: number;
  /** Milliseconds since the logging package was loaded (float). */
  relativeCreated?: number;
  /** Thread id (Node: the worker thread id). */
  thread?: number | null;
  /** Thread name. */
  threadName?: string | null;
  /** Process name. */
  processName?: string | null;
  /** Process id. */
  process?: number | null;
  /** asyncio task name (CPython 3.12+ only). */
  taskName?: string | null;
  /** Set by the formatter: `msg % args`. */
  message?: string;
  /** Set by the formatter when the format uses it. */
  asctime?: string;
  /** Any `extra` attribute. */
  [extra: string]: unknown;
}

/**
 * The standard attributes every call's shared LogRecord has (`logRecordOf`): what CPython's
 * `LogRecord.__init__` sets, plus `message`. Call-site attributes are present when captured.
 */
export interface StandardLogRecord extends PythonLogRecord {
  name: string;
  msg: unknown;
  args: unknown;
  levelname: string;
  levelno: number;
  created: number;
  msecs: number;
  relativeCreated: number;
  thread: number | null;
  threadName: string | null;
  processName: string | null;
  process: number | null;
  exc_info: unknown;
  exc_text: string | null;
  stack_info: string | null;
  message: string;
}

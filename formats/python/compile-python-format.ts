import { ConfigError, describeValue } from '../../src/errors';
import { PythonFormatError } from './python-format-error';
import type { PythonLogRecord } from '../../src/record/python-log-record';
import { braceFieldNames, parseBrace, renderBrace, validateBrace } from './brace-format';
import { getMessage } from '../../src/record/get-message';
import { formatValue, MISSING, parsePercent, percentFormat, runPercent } from './percent-format';
import type { PercentSpec, PercentToken } from './percent-format';
import { PyFloat } from './py-float';
import { pyStr, strRepr } from './py-repr';
import { PyTuple } from './py-tuple';
import { invalidPlaceholder, parseTemplate } from './py-template';
import { brokenDownTime, compileStrftime } from './strftime';
import { formatException } from '../../src/record/traceback';

/** Options of {@link compilePythonFormat}: the arguments and attributes of CPython's `logging.Formatter`. */
export interface CompilePythonFormatOptions {
  /** strftime format for `asctime`; falsy means `defaultTimeFormat` plus `defaultMsecFormat`. @defaultValue null */
  datefmt?: string | null;
  /** Template style: `'%'` (`%(name)s`), `'{'` (`{name}`) or `'$'` (`$name`). @defaultValue '%' */
  style?: '%' | '{' | '$';
  /** Reject formats that CPython's validator rejects, when compiling. @defaultValue true */
  validate?: boolean;
  /** Values for fields the record lacks (record attributes win). */
  defaults?: Readonly<Record<string, unknown>>;
  /** `Formatter.default_time_format`. @defaultValue '%Y-%m-%d %H:%M:%S' */
  defaultTimeFormat?: string;
  /** `Formatter.default_msec_format` (`% (text, msecs)`); null disables milliseconds. @defaultValue '%s,%03d' */
  defaultMsecFormat?: string | null;
  /** Render `asctime` in UTC (`converter = time.gmtime`) instead of local time (TZ honoured). @defaultValue false */
  utc?: boolean;
}

/**
 * A compiled format: call it with a record to get what CPython's `Formatter.format(record)` returns.
 * Like Python it sets `record.message`, `record.asctime` (only when the format uses it) and
 * `record.exc_text` (when rendered from `exc_info`). Throws {@link PythonFormatError} with
 * `phase: 'format'` where CPython's `format()` raises; callers that log must catch it.
 */
export interface CompiledPythonFormat {
  (record: PythonLogRecord): string;
  /** The format string in use (`fmt` or the style's default). */
  readonly fmt: string;
  /** The template style. */
  readonly style: '%' | '{' | '$';
  /** Record attribute names the format references, in order of first use. */
  readonly fields: readonly string[];
  /** Python's `usesTime()`: true when the format mentions `asctime`. */
  readonly usesTime: boolean;
  /**
   * Renders a record whose `message` is already `msg % args` (a call's shared LogRecord): the same
   * output, without merging the message again.
   */
  readonly formatMerged: (record: PythonLogRecord) => string;
}

const DEFAULT_FORMATS = { '%': '%(message)s', '{': '{message}', $: '${message}' } as const;
const STYLES = ['%', '{', '$'] as const;
// Python floats by name: JSON and JS numbers cannot say that 123 is 123.0.
const FLOAT_FIELDS = new Set(['created', 'msecs', 'relativeCreated']);
// logging.PercentStyle.validation_pattern (re.I), with Python's Unicode \w and \d; the sticky copy
// finds the first bad token. Made on the first validation, not at import: V8 takes about 0.2 ms to
// create each case-insensitive Unicode-property pattern.
let percentCache: { field: RegExp; at: RegExp } | undefined;
function percentPatterns(): { field: RegExp; at: RegExp } {
  if (percentCache === undefined) {
    const field = /%\([\p{L}\p{N}_]+\)[#0+ -]*(\*|\p{Nd}+)?(\.(\*|\p{Nd}+))?[diouxefgcrsa%]/iu;
    percentCache = { field, at: new RegExp(field.source, 'iuy') };
  }
  return percentCache;
}
const OBJECT_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Looks a field up on a record (then in defaults); returns MISSING when neither has it. */
type Lookup = (record: PythonLogRecord, key: string) => unknown;
type Renderer = (record: PythonLogRecord) => string;

function has(record: object, key: string): boolean {
  return Object.hasOwn(record, key) || (key in record && !OBJECT_KEYS.has(key));
}

function floatify(key: string, v: unknown): unknown {
  return typeof v === 'number' && FLOAT_FIELDS.has(key) ? new PyFloat(v) : v;
}

function fieldNotFound(err: PythonFormatError): PythonFormatError {
  return new PythonFormatError(
    'ValueError',
    'format',
    `Formatting field not found in record: ${err.pythonMessage}`,
  );
}

function checkOptions(fmt: unknown, options: CompilePythonFormatOptions): void {
  const problems: string[] = [];
  const o = options as Record<string, unknown>;
  if (fmt !== undefined && fmt !== null && typeof fmt !== 'string') {
    problems.push(`fmt: ${describeValue(fmt)} is not allowed; use a format string, null or undefined`);
  }
  const optString = (key: string, nullable: boolean): void => {
    const v = o[key];
    if (v === undefined || typeof v === 'string' || (nullable && v === null)) return;
    problems.push(`${key}: ${describeValue(v)} is not allowed; use a string${nullable ? ' or null' : ''}`);
  };
  optString('datefmt', true);
  optString('defaultTimeFormat', false);
  optString('defaultMsecFormat', true);
  for (const key of ['validate', 'utc']) {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') {
      problems.push(`${key}: ${describeValue(v)} is not allowed; use true or false`);
    }
  }
  const d = o['defaults'];
  if (d !== undefined && d !== null && (typeof d !== 'object' || Array.isArray(d))) {
    problems.push(`defaults: ${describeValue(d)} is not allowed; use an object of field values`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

// Names the first '%' that does not start a valid %(key)x field, for the init error message.
function percentBadToken(fmt: string): string {
  for (let i = fmt.indexOf('%'); i >= 0; i = fmt.indexOf('%', i + 1)) {
    if (fmt[i + 1] === '%') {
      i++;
      continue;
    }
    const PERCENT_FIELD_AT = percentPatterns().at;
    PERCENT_FIELD_AT.lastIndex = i;
    if (!PERCENT_FIELD_AT.test(fmt)) {
      const m = /^%(\([^)]*\)?)?[^\s%]{0,8}/u.exec(fmt.slice(i));
      return `first bad token ${strRepr(m?.[0] ?? '%')} at position ${i}`;
    }
  }
  return "no '%(name)s' field";
}

function compilePercent(
  fmt: string,
  validate: boolean,
  lookup: Lookup,
): { render: Renderer; fields: string[] } {
  if (validate && !percentPatterns().field.test(fmt)) {
    const m = /%/.exec(fmt);
    throw new PythonFormatError('ValueError', 'init', `Invalid format '${fmt}' for '%' style`, {
      position: m === null ? 0 : m.index,
      detail: percentBadToken(fmt),
    });
  }
  const tokens = parsePercent(fmt);
  const fields: string[] = [];
  for (const t of tokens) if (typeof t !== 'string' && t.key !== undefined) fields.push(t.key);
  const simple = tokens.every(
    (t) =>
      typeof t === 'string' ||
      (t.key !== undefined &&
        t.error === undefined &&
        t.width >= -1 &&
        t.prec >= -1 &&
        'sradiuoxXeEfFgGc'.includes(t.type)),
  );
  if (!simple) {
    return {
      render: (record) => runPercent(tokens, undefined, record, (k) => floatify(k, lookup(record, k))),
      fields,
    };
  }
  return { render: generatePercent(tokens, lookup) ?? interpretPercent(tokens, lookup), fields };
}

/** The same renderer as {@link generatePercent}, interpreted: used where code generation is not allowed. */
function interpretPercent(tokens: readonly PercentToken[], lookup: Lookup): Renderer {
  const parts = tokens.map((t) => {
    if (typeof t === 'string') return t;
    const field = percentField(t, lookup);
    const key = t.key ?? '';
    return (r: PythonLogRecord): string => field(r, r[key]);
  });
  return (record) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(record);
    return out;
  };
}

let codeGenerationAllowed: boolean | undefined;

// `new Function` throws EvalError under --disallow-code-generation-from-strings and strict CSP hosts.
function canGenerateCode(): boolean {
  if (codeGenerationAllowed === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant probe
      codeGenerationAllowed = typeof new Function('return 1') === 'function';
    } catch {
      codeGenerationAllowed = false;
    }
  }
  return codeGenerationAllowed;
}

/**
 * Generates the renderer of a `%` format whose conversions are all `%(key)x`: one straight-line
 * function with each field read as a named property (monomorphic property loads, no per-record
 * parsing). Non-string values and absent keys take the out-of-line helpers. Returns undefined where
 * code generation is not allowed.
 */
function generatePercent(tokens: readonly PercentToken[], lookup: Lookup): Renderer | undefined {
  if (!canGenerateCode()) return undefined;
  const helpers: Array<(record: PythonLogRecord, v: unknown) => string> = [];
  const lines: string[] = [];
  const terms: string[] = [];
  for (const t of tokens) {
    if (typeof t === 'string') {
      terms.push(JSON.stringify(t));
      continue;
    }
    const key = t.key ?? '';
    const i = helpers.length;
    const plainStr = t.type === 's' && t.flags === 0 && t.width < 0 && t.prec < 0;
    helpers.push(percentField(t, lookup));
    lines.push(`var v${i} = r[${JSON.stringify(key)}];`);
    lines.push(
      plainStr
        ? `var s${i} = typeof v${i} === 'string' ? v${i} : h[${i}](r, v${i});`
        : `var s${i} = h[${i}](r, v${i});`,
    );
    terms.push(`s${i}`);
  }
  const body = `${lines.join('\n')}\nreturn ${terms.length === 0 ? "''" : terms.join(' + ')};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from parsed tokens only; keys and literals are JSON-quoted
  const factory = new Function('h', `return function render(r) {\n${body}\n};`) as (
    h: typeof helpers,
  ) => Renderer;
  return factory(helpers);
}

function percentField(t: PercentSpec, lookup: Lookup): (record: PythonLogRecord, v: unknown) => string {
  const key = t.key ?? '';
  const isFloat = FLOAT_FIELDS.has(key);
  const isArgs = key === 'args';
  const plainStr = t.type === 's' && t.flags === 0 && t.width < 0 && t.prec < 0;
  return (record, value) => {
    let v = value;
    if (v === undefined || isArgs) {
      v = lookup(record, key);
      if (v === MISSING) missing(key);
    }
    if (isFloat && typeof v === 'number') v = new PyFloat(v);
    if (plainStr) return typeof v === 'string' ? v : pyStr(v);
    return formatValue(v, t.type, t.flags, t.width, t.prec, t.pos);
  };
}

function missing(key: string): never {
  throw new PythonFormatError(
    'ValueError',
    'format',
    `Formatting field not found in record: ${strRepr(key)}`,
  );
}

function compileBrace(
  fmt: string,
  validate: boolean,
  lookup: Lookup,
): { render: Renderer; fields: string[] } {
  // Without validation CPython only fails when str.format runs, i.e. for each record (parse errors
  // are kept as a token, reached after the fields before them rendered).
  const tokens = validate ? validateBrace(fmt) : parseBrace(fmt);
  const render: Renderer = (record) =>
    renderBrace(
      tokens,
      (name) => {
        const v = lookup(record, name);
        return v === MISSING ? { found: false, value: undefined } : { found: true, value: v };
      },
      floatify,
    );
  return { render, fields: braceFieldNames(tokens) };
}

function compileDollar(
  fmt: string,
  validate: boolean,
  lookup: Lookup,
): { render: Renderer; fields: string[] } {
  const { tokens, invalidAt } = parseTemplate(fmt);
  const fields = tokens.flatMap((t) => (typeof t === 'string' ? [] : [t.name]));
  if (validate) {
    if (invalidAt >= 0) {
      throw new PythonFormatError('ValueError', 'init', "invalid format: bare '$' not allowed", {
        position: invalidAt,
        detail: `'$' at position ${invalidAt}; write '$$' for a literal dollar`,
      });
    }
    if (fields.length === 0) {
      throw new PythonFormatError('ValueError', 'init', 'invalid format: no fields', {
        position: 0,
        detail: `${strRepr(fmt)} has no $name or \${name} field`,
      });
    }
  }
  const render: Renderer = (record) => {
    let out = '';
    for (const t of tokens) {
      if (typeof t === 'string') {
        out += t;
        continue;
      }
      const v = lookup(record, t.name);
      if (v === MISSING) missing(t.name);
      out += typeof v === 'string' ? v : pyStr(floatify(t.name, v));
    }
    if (invalidAt >= 0) throw invalidPlaceholder(fmt, invalidAt);
    return out;
  };
  return { render, fields };
}

function usesTimeOf(fmt: string, style: '%' | '{' | '$'): boolean {
  if (style === '%') return fmt.includes('%(asctime)');
  if (style === '{') return fmt.includes('{asctime');
  return fmt.includes('$asctime') || fmt.includes('${asctime}');
}

function pad3(ms: number): string {
  if (ms >= 100 && ms < 1000) return String(ms);
  if (ms >= 10 && ms < 100) return `0${ms}`;
  if (ms >= 0 && ms < 10) return `00${ms}`;
  return formatValue(ms, 'd', 2, 3, -1);
}

function makeFormatTime(options: CompilePythonFormatOptions): (record: PythonLogRecord) => string {
  const utc = options.utc === true;
  const datefmt = options.datefmt;
  const timeFormat = datefmt ? datefmt : (options.defaultTimeFormat ?? '%Y-%m-%d %H:%M:%S');
  const msecFormat = datefmt
    ? null
    : options.defaultMsecFormat === undefined
      ? '%s,%03d'
      : options.defaultMsecFormat;
  const strf = compileStrftime(timeFormat);
  // time.strftime rejects a NUL in the format, for every record.
  const hasNul = timeFormat.includes('\0');
  // Only %Z can differ between two zones with the same offset; watch TZ itself only then.
  const watchTzName = !utc && timeFormat.includes('Z');
  const probe = new Date(0);
  let probeSec = 0;
  let cachedSec = NaN;
  let cachedOffset = NaN;
  let cachedTz: string | undefined;
  let cachedText = '';
  const secondsText = (created: number): string => {
    const sec = Math.floor(created);
    if (utc) {
      if (sec === cachedSec) return cachedText;
    } else {
      // The offset check is what makes a TZ change (process.env.TZ = …) visible to the cache. The probe
      // moves only when the second does: reading the offset of an unchanged Date costs a third of
      // setTime + getTimezoneOffset, and still follows a zone change (V8 resets its date cache then).
      if (sec !== probeSec) {
        probe.setTime(sec * 1000);
        probeSec = sec;
      }
      const offset = probe.getTimezoneOffset();
      const tz = watchTzName ? process.env.TZ : undefined;
      if (sec === cachedSec && offset === cachedOffset && tz === cachedTz) return cachedText;
      cachedOffset = offset;
      cachedTz = tz;
    }
    cachedText = strf(brokenDownTime(sec, utc));
    cachedSec = sec;
    return cachedText;
  };
  return (record) => {
    const c = record.created;
    const created = typeof c === 'number' ? c : Date.now() / 1000;
    if (!Number.isFinite(created)) {
      throw new PythonFormatError(
        'ValueError',
        'format',
        created !== created
          ? 'Invalid value NaN (not a number)'
          : 'timestamp out of range for platform time_t',
      );
    }
    if (hasNul) throw new PythonFormatError('ValueError', 'format', 'embedded null character');
    const s = secondsText(created);
    if (!msecFormat) return s;
    const m = record.msecs;
    const msecs = typeof m === 'number' ? m : Math.trunc((created - Math.trunc(created)) * 1000);
    if (msecFormat === '%s,%03d' && msecs === msecs) return `${s},${pad3(Math.trunc(msecs))}`;
    return percentFormat(msecFormat, new PyTuple([s, new PyFloat(msecs)]));
  };
}

/**
 * Compiles a Python `logging` format string once into a function that renders a record exactly as
 * CPython's `logging.Formatter(fmt, datefmt, style, validate, defaults).format(record)` does:
 * conversion flags, width and precision, `%%`, `%(msecs)03d`, `%(created)f`, the default asctime
 * `YYYY-MM-DD HH:MM:SS,mmm` (local time, TZ honoured), strftime `datefmt`, `msg % args` merging,
 * and tracebacks and stack info appended with Python's newline rules.
 *
 * @param fmt - the format; null, undefined or '' mean the style's default (`'%(message)s'`).
 * @throws {@link PythonFormatError} (phase 'init') for a format CPython rejects when the Formatter is built.
 * @throws {@link ConfigError} for an option of the wrong type.
 *
 * @example
 * const fmt = compilePythonFormat('%(asctime)s - %(name)s - %(levelname)s - %(message)s');
 * fmt({ name: 'db', levelname: 'INFO', msg: 'up %s', args: ['x'], created: 1700000000.5, msecs: 500 });
 * // '2023-11-14 22:13:20,500 - db - INFO - up x' (with TZ=UTC)
 */
export function compilePythonFormat(
  fmt?: string | null,
  options: CompilePythonFormatOptions = {},
): CompiledPythonFormat {
  checkOptions(fmt, options);
  const style = options.style ?? '%';
  if (!(STYLES as readonly unknown[]).includes(style)) {
    throw new PythonFormatError('ValueError', 'init', `Style must be one of: ${STYLES.join(',')}`, {
      detail: `style ${describeValue(style)}`,
    });
  }
  const theFmt = fmt ? fmt : DEFAULT_FORMATS[style];
  const validate = options.validate ?? true;
  const defaults = options.defaults ?? undefined;
  const hasDefaults = defaults !== undefined && defaults !== null && Object.keys(defaults).length > 0;
  const lookup: Lookup = (record, key) => {
    const v = record[key];
    if (v !== undefined || has(record, key)) return key === 'args' && Array.isArray(v) ? new PyTuple(v) : v;
    if (hasDefaults && Object.hasOwn(defaults, key)) return defaults[key];
    return MISSING;
  };
  const compiled =
    style === '%'
      ? compilePercent(theFmt, validate, lookup)
      : style === '{'
        ? compileBrace(theFmt, validate, lookup)
        : compileDollar(theFmt, validate, lookup);
  const render = compiled.render;
  const usesTime = usesTimeOf(theFmt, style);
  const formatTime = usesTime ? makeFormatTime(options) : undefined;

  const formatRecord = (record: PythonLogRecord, merged: boolean): string => {
    if (!merged) {
      const msg = record.msg;
      const args = record.args;
      // Fast path of getMessage: a string without arguments is the message as it is.
      record.message =
        typeof msg === 'string' &&
        (args === null || args === undefined || (Array.isArray(args) && args.length === 0))
          ? msg
          : getMessage(msg, args);
    }
    if (formatTime !== undefined) record.asctime = formatTime(record);
    let s: string;
    try {
      s = render(record);
    } catch (err) {
      // The style's format() turns a KeyError into this ValueError (logging.PercentStyle.format).
      if (err instanceof PythonFormatError && err.pythonType === 'KeyError') throw fieldNotFound(err);
      throw err;
    }
    if (record.exc_info && !record.exc_text) record.exc_text = formatException(record.exc_info);
    const excText = record.exc_text;
    if (excText) s = (s.endsWith('\n') ? s : `${s}\n`) + String(excText);
    const stack = record.stack_info;
    if (stack) s = (s.endsWith('\n') ? s : `${s}\n`) + String(stack);
    return s;
  };
  const run = (record: PythonLogRecord, merged: boolean): string => {
    try {
      return formatRecord(record, merged);
    } catch (err) {
      // A width or precision whose text exceeds JavaScript's string limit: CPython's MemoryError.
      if (err instanceof RangeError) throw new PythonFormatError('MemoryError', 'format', '');
      throw err;
    }
  };
  const format = (record: PythonLogRecord): string => run(record, false);
  const uniqueFields = [...new Set(compiled.fields)];
  Object.defineProperties(format, {
    formatMerged: { value: (record: PythonLogRecord): string => run(record, true) },
    fmt: { value: theFmt, enumerable: true },
    style: { value: style, enumerable: true },
    fields: { value: Object.freeze(uniqueFields), enumerable: true },
    usesTime: { value: usesTime, enumerable: true },
  });
  return format as CompiledPythonFormat;
}

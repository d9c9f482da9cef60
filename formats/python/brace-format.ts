import { PythonFormatError } from './python-format-error';
import type { PythonErrorType } from './python-format-error';
import { PyFloat } from './py-float';
import { formatExponent, formatFixed, formatGeneral, isNegative } from './py-number-format';
import {
  codePointLength,
  codePointSlice,
  floatRepr,
  intText,
  isPyMapping,
  pyAscii,
  pyRepr,
  pyStr,
  pyTypeName,
  strRepr,
} from './py-repr';
import { PyTuple } from './py-tuple';

/** One replacement field of a `{`-style format. */
export interface BraceField {
  /** The whole field name, e.g. `args[0]`. */
  readonly name: string;
  /** The conversion character (`r`, `s`, `a` or any other, rejected when rendered), or '' for none. */
  readonly conversion: string;
  /** The raw format spec (nested fields are expanded when rendering, as CPython does). */
  readonly spec: string;
  /** True when the spec holds `{` (CPython's format_spec_needs_expanding). */
  readonly nested: boolean;
  /** Index of the field's `{` in the format. */
  readonly pos?: number;
}

/** Where CPython's MarkupIterator fails: everything before it still renders (or validates) first. */
export interface BraceParseFailure {
  readonly error: string;
  /** Index of the offending character (or of the field's `{`). */
  readonly pos?: number;
}

/** Literal text, a replacement field, or the parse error that ends the format. */
export type BraceToken = string | BraceField | BraceParseFailure;

function fail(type: PythonErrorType, message: string, phase: 'init' | 'format' = 'format'): never {
  throw new PythonFormatError(type, phase, message);
}

function isField(t: BraceToken): t is BraceField {
  return typeof t !== 'string' && 'name' in t;
}

/**
 * Parses a `str.format` template exactly as CPython's MarkupIterator and parse_field scan it
 * (`{{`/`}}` escapes, `[` … `]` skipped in field names, nested braces counted in the spec). A parse
 * error does not throw: it becomes the last token, because Python renders (and logging validates)
 * the fields before it first.
 */
export function parseBrace(fmt: string): BraceToken[] {
  const out: BraceToken[] = [];
  const n = fmt.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let c = '';
    let markup = false;
    while (i < n) {
      c = fmt[i++] ?? '';
      if (c === '{' || c === '}') {
        markup = true;
        break;
      }
    }
    const atEnd = i >= n;
    let len = i - start;
    if (c === '}' && markup && (atEnd || fmt[i] !== '}')) {
      out.push({ error: "Single '}' encountered in format string", pos: i - 1 });
      return out;
    }
    if (atEnd && c === '{' && markup) {
      out.push({ error: "Single '{' encountered in format string", pos: i - 1 });
      return out;
    }
    if (markup && !atEnd) {
      if (fmt[i] === c) {
        i++;
        markup = false;
      } else {
        len--;
      }
    }
    const lit = fmt.slice(start, start + len);
    if (lit !== '') {
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + lit;
      else out.push(lit);
    }
    if (!markup) continue;
    const parsed = parseField(fmt, i);
    if ('error' in parsed) {
      out.push({ ...parsed, pos: i - 1 });
      return out;
    }
    out.push({ ...parsed.field, pos: i - 1 });
    i = parsed.next;
  }
  return out;
}

function parseField(fmt: string, from: number): { field: BraceField; next: number } | BraceParseFailure {
  const n = fmt.length;
  let i = from;
  let c = '';
  while (i < n) {
    c = fmt[i++] ?? '';
    if (c === '{') return { error: "unexpected '{' in field name" };
    if (c === '[') {
      while (i < n && fmt[i] !== ']') i++;
      continue;
    }
    if (c === '}' || c === ':' || c === '!') break;
  }
  const name = fmt.slice(from, c === '}' || c === ':' || c === '!' ? i - 1 : i);
  if (c !== '!' && c !== ':') {
    if (c !== '}') return { error: "expected '}' before end of string" };
    return { field: { name, conversion: '', spec: '', nested: false }, next: i };
  }
  let conversion = '';
  if (c === '!') {
    if (i >= n) return { error: 'end of string while looking for conversion specifier' };
    conversion = String.fromCodePoint(fmt.codePointAt(i) ?? 0);
    i += conversion.length;
    if (i < n) {
      const d = fmt[i++];
      if (d === '}') return { field: { name, conversion, spec: '', nested: false }, next: i };
      if (d !== ':') return { error: "expected ':' after conversion specifier" };
    }
  }
  const specStart = i;
  let count = 1;
  let nested = false;
  while (i < n) {
    const d = fmt[i++];
    if (d === '{') {
      nested = true;
      count++;
    } else if (d === '}' && --count === 0) {
      return { field: { name, conversion, spec: fmt.slice(specStart, i - 1), nested }, next: i };
    }
  }
  return { error: "unmatched '{' in format spec" };
}

// logging.StrFormatStyle's patterns. Python's `$` also matches before a final newline; `.` never
// matches a newline; `\w`/`\d` are Unicode. Made on the first validation, not at import: V8 takes
// about 0.2 ms to create each case-insensitive Unicode-property pattern.
let strFormatCache: { field: RegExp; spec: RegExp } | undefined;
const strFormatPatterns = (): { field: RegExp; spec: RegExp } =>
  (strFormatCache ??= {
    field: /^([\p{Nd}]+|[\p{L}\p{N}_]+)(\.[\p{L}\p{N}_]+|\[[^\]]+\])*\n?$/iu,
    spec: /^([^\n]?[<>=^])?[+ -]?#?0?([\p{Nd}]+|\{[\p{L}\p{N}_]+\})?[,_]?(\.([\p{Nd}]+|\{[\p{L}\p{N}_]+\}))?[bcdefgnosx%]?\n?$/iu,
  });

/**
 * `StrFormatStyle.validate()`: walks the fields as `string.Formatter.parse` yields them (so a bad
 * field is reported before a parse error further on), checking each name, conversion and spec against
 * logging's patterns; at least one named field must exist. Throws ValueError (phase 'init').
 */
export function validateBrace(fmt: string): BraceToken[] {
  const tokens = parseBrace(fmt);
  let fields = 0;
  // The error names the token and where it is (in code points), after CPython's own wording.
  const bad = (message: string, token: string | undefined, at: number): never => {
    const from = token === undefined ? at : Math.max(0, fmt.indexOf(token, at));
    const position = codePointLength(fmt.slice(0, from));
    throw new PythonFormatError('ValueError', 'init', `invalid format: ${message}`, {
      position,
      detail:
        token === undefined
          ? `in ${strRepr(fmt)} at position ${position}`
          : `token ${strRepr(token)} at position ${position}`,
    });
  };
  const { field: FIELD_SPEC, spec: FMT_SPEC } = strFormatPatterns();
  for (const t of tokens) {
    if (typeof t === 'string') continue;
    const at = t.pos ?? 0;
    if (!isField(t)) return bad(t.error, undefined, at);
    if (t.name !== '') {
      if (!FIELD_SPEC.test(t.name)) bad(`invalid field name/expression: ${strRepr(t.name)}`, t.name, at);
      fields++;
    }
    if (t.conversion !== '' && !'rsa'.includes(t.conversion)) {
      bad(`invalid conversion: ${strRepr(t.conversion)}`, `!${t.conversion}`, at);
    }
    if (t.spec !== '' && !FMT_SPEC.test(t.spec)) bad(`bad specifier: ${strRepr(t.spec)}`, t.spec, at);
  }
  if (fields === 0) {
    throw new PythonFormatError('ValueError', 'init', 'invalid format: no fields', {
      position: 0,
      detail: `${strRepr(fmt)} has no {field}`,
    });
  }
  return tokens;
}

/** Looks a top-level name up; `found: false` is Python's KeyError. */
export type BraceLookup = (name: string) => { found: boolean; value: unknown };

/** Wraps a looked-up value (float-by-name fields); identity by default. */
export type BraceAdapt = (name: string, value: unknown) => unknown;

function keyError(key: string | number): never {
  return fail('KeyError', typeof key === 'string' ? strRepr(key) : String(key));
}

// CPython's get_integer: the value when every character is a decimal digit, else -1.
function decimalIndex(s: string): number {
  if (s === '' || !/^\p{Nd}+$/u.test(s)) return -1;
  let n = 0;
  for (const ch of s) {
    n = n * 10 + digitValue(ch);
    if (n > Number.MAX_SAFE_INTEGER) fail('ValueError', 'Too many decimal digits in format string');
  }
  return n;
}

function digitValue(ch: string): number {
  const cp = ch.codePointAt(0) ?? 48;
  if (cp < 128) return cp - 48;
  // Unicode decimal digits come in runs of ten starting at a code point whose value is 0.
  let zero = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1)) && cp - zero < 9) zero--;
  return cp - zero;
}

interface RenderState {
  auto: 'init' | 'auto' | 'manual';
  next: number;
}

function resolve(
  name: string,
  lookup: BraceLookup,
  adapt: BraceAdapt | undefined,
  state: RenderState,
): unknown {
  let i = 0;
  while (i < name.length && name[i] !== '.' && name[i] !== '[') i++;
  const first = name.slice(0, i);
  let index = decimalIndex(first);
  const empty = first === '';
  if (empty || index !== -1) {
    if (state.auto === 'init') state.auto = empty ? 'auto' : 'manual';
    if (state.auto === 'manual' && empty) {
      fail('ValueError', 'cannot switch from manual field specification to automatic field numbering');
    }
    if (state.auto === 'auto' && !empty) {
      fail('ValueError', 'cannot switch from automatic field numbering to manual field specification');
    }
    if (empty) index = state.next++;
    // logging calls str.format(**record.__dict__): there are no positional arguments.
    fail('IndexError', `Replacement index ${index} out of range for positional args tuple`);
  }
  const hit = lookup(first);
  if (!hit.found) keyError(first);
  // Floats by name (created, msecs) are floats before any attribute or item is taken.
  let value = adapt === undefined ? hit.value : adapt(first, hit.value);
  while (i < name.length) {
    const c = name[i++];
    if (c === '.') {
      const start = i;
      while (i < name.length && name[i] !== '.' && name[i] !== '[') i++;
      const attr = name.slice(start, i);
      if (attr === '') fail('ValueError', 'Empty attribute in format string');
      value = guarded(
        () => getAttr(value, attr),
        'AttributeError',
        `'object' object has no attribute ${strRepr(attr)}`,
      );
    } else if (c === '[') {
      const start = i;
      while (i < name.length && name[i] !== ']') i++;
      if (i >= name.length) fail('ValueError', "Missing ']' in format string");
      const key = name.slice(start, i++);
      if (key === '') fail('ValueError', 'Empty attribute in format string');
      const idx = decimalIndex(key);
      value = guarded(
        () => getItem(value, idx === -1 ? key : idx),
        'TypeError',
        "'object' object is not subscriptable",
      );
    } else {
      fail('ValueError', "Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return value;
}

// A hostile value (revoked Proxy, throwing trap or getter) fails as a Python lookup would, never with
// a JavaScript exception.
function guarded(get: () => unknown, type: PythonErrorType, message: string): unknown {
  try {
    return get();
  } catch (err) {
    if (err instanceof PythonFormatError) throw err;
    return fail(type, message);
  }
}

// Python attributes of numbers; own properties of objects (a JavaScript extension: `{user.id}`).
function getAttr(value: unknown, attr: string): unknown {
  const type = pyTypeName(value);
  if (type === 'int' || type === 'bool') {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (attr === 'real' || attr === 'numerator') return n;
    if (attr === 'imag') return 0;
    if (attr === 'denominator') return 1;
  } else if (type === 'float') {
    const x = value instanceof PyFloat ? value.value : (value as number);
    if (attr === 'real') return new PyFloat(x);
    if (attr === 'imag') return new PyFloat(0);
  } else if (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof PyTuple) &&
    !Array.isArray(value) &&
    !(value instanceof Map)
  ) {
    try {
      if (Object.hasOwn(value, attr)) return (value as Record<string, unknown>)[attr];
    } catch {
      // A revoked Proxy: no attribute.
    }
  }
  return fail('AttributeError', `'${type}' object has no attribute ${strRepr(attr)}`);
}

function getItem(value: unknown, key: string | number): unknown {
  const items = Array.isArray(value) ? value : value instanceof PyTuple ? value.items : undefined;
  if (items !== undefined) {
    const type = value instanceof PyTuple ? 'tuple' : 'list';
    if (typeof key !== 'number') fail('TypeError', `${type} indices must be integers or slices, not str`);
    if (key >= items.length) fail('IndexError', `${type} index out of range`);
    return items[key];
  }
  if (typeof value === 'string') {
    if (typeof key !== 'number') fail('TypeError', "string indices must be integers, not 'str'");
    const chars = Array.from(value);
    if (key >= chars.length) fail('IndexError', 'string index out of range');
    return chars[key];
  }
  if (value instanceof Map) {
    if (!value.has(key)) keyError(key);
    return value.get(key);
  }
  if (isPyMapping(value)) {
    // A dict's keys here are strings: an index looks up the int, which is not there.
    if (typeof key === 'number' || !Object.hasOwn(value, key)) keyError(key);
    return (value as Record<string, unknown>)[key];
  }
  return fail('TypeError', `'${pyTypeName(value)}' object is not subscriptable`);
}

/** A parsed format spec (CPython's InternalFormatSpec). */
interface Spec {
  fill: string;
  align: string;
  sign: string;
  noNegZero: boolean;
  alt: boolean;
  width: number;
  /** '' none, ',' or '_' every three digits, '_4' underscores every four. */
  grouping: string;
  prec: number;
  type: string;
}

function charName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return cp > 32 && cp < 128 ? c : `\\x${cp.toString(16)}`;
}

const MAX_SSIZE = 2n ** 63n - 1n;

// CPython's get_integer on the spec: digits into a Py_ssize_t, "Too many decimal digits" on overflow.
function specInteger(chars: string[], at: number): { value: number; next: number } {
  let i = at;
  let v = 0n;
  while (i < chars.length && /^\p{Nd}$/u.test(chars[i] ?? '')) {
    v = v * 10n + BigInt(digitValue(chars[i] ?? '0'));
    if (v > MAX_SSIZE) fail('ValueError', 'Too many decimal digits in format string');
    i++;
  }
  return { value: i === at ? -1 : Number(v), next: i };
}

// parse_internal_render_format_spec (Python/formatter_unicode.c).
function parseSpec(spec: string, value: unknown, defaultType: string, defaultAlign: string): Spec {
  const chars = Array.from(spec);
  const end = chars.length;
  let i = 0;
  let fill = ' ';
  let align = defaultAlign;
  let fillGiven = false;
  let alignGiven = false;
  const isAlign = (c: string | undefined): boolean => c === '<' || c === '>' || c === '=' || c === '^';
  if (end >= 2 && isAlign(chars[1])) {
    fill = chars[0] ?? ' ';
    align = chars[1] ?? '';
    fillGiven = alignGiven = true;
    i = 2;
  } else if (end >= 1 && isAlign(chars[0])) {
    align = chars[0] ?? '';
    alignGiven = true;
    i = 1;
  }
  let sign = '';
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') sign = chars[i++] ?? '';
  let noNegZero = false;
  if (chars[i] === 'z') {
    noNegZero = true;
    i++;
  }
  let alt = false;
  if (chars[i] === '#') {
    alt = true;
    i++;
  }
  if (!fillGiven && chars[i] === '0') {
    fill = '0';
    if (!alignGiven && defaultAlign === '>') align = '=';
    i++;
  }
  const w = specInteger(chars, i);
  const width = w.value;
  i = w.next;
  let grouping = '';
  if (chars[i] === ',') {
    grouping = ',';
    i++;
  }
  if (chars[i] === '_') {
    if (grouping !== '') fail('ValueError', "Cannot specify both ',' and '_'.");
    grouping = '_';
    i++;
  }
  if (chars[i] === ',' && grouping === '_') fail('ValueError', "Cannot specify both ',' and '_'.");
  let prec = -1;
  if (chars[i] === '.') {
    i++;
    const p = specInteger(chars, i);
    if (p.value < 0) fail('ValueError', 'Format specifier missing precision');
    prec = p.value;
    i = p.next;
  }
  if (end - i > 1) {
    fail('ValueError', `Invalid format specifier '${spec}' for object of type '${pyTypeName(value)}'`);
  }
  const type = end - i === 1 ? (chars[i] ?? '') : defaultType;
  if (grouping !== '') {
    if ('defgEGF%'.includes(type) || type === '') {
      // allowed (PEP 378)
    } else if ('boxX'.includes(type) && grouping === '_') {
      grouping = '_4';
    } else {
      fail('ValueError', `Cannot specify '${grouping}' with '${charName(type)}'.`);
    }
  }
  return { fill, align, sign, noNegZero, alt, width, grouping, prec, type };
}

function unknownCode(type: string, value: unknown): never {
  return fail(
    'ValueError',
    `Unknown format code '${charName(type)}' for object of type '${pyTypeName(value)}'`,
  );
}

function fillText(fill: string, n: number): string {
  return n > 0 ? fill.repeat(n) : '';
}

// Left, centre or right alignment of a string of `len` code points.
function alignText(body: string, len: number, s: Spec): string {
  const pad = s.width - len;
  if (pad <= 0) return body;
  if (s.align === '<') return body + fillText(s.fill, pad);
  if (s.align === '^') {
    const left = Math.floor(pad / 2);
    return fillText(s.fill, left) + body + fillText(s.fill, pad - left);
  }
  return fillText(s.fill, pad) + body;
}

function formatStr(value: string, spec: string, original: unknown): string {
  const s = parseSpec(spec, original, 's', '<');
  if (s.type !== 's') unknownCode(s.type, original);
  if (s.sign !== '') {
    fail('ValueError', `${s.sign === ' ' ? 'Space' : 'Sign'} not allowed in string format specifier`);
  }
  if (s.noNegZero) fail('ValueError', 'Negative zero coercion (z) not allowed in string format specifier');
  if (s.alt) fail('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (s.align === '=') fail('ValueError', "'=' alignment not allowed in string format specifier");
  const body = s.prec >= 0 ? codePointSlice(value, s.prec) : value;
  return alignText(body, codePointLength(body), s);
}

// _PyUnicode_InsertThousandsGrouping: groups digits, zero-filling up to minWidth when '0'-padded.
function groupDigits(digits: string, grouping: string, minWidth: number): string {
  const every = grouping === '' ? 0 : grouping === '_4' ? 4 : 3;
  const sep = grouping === '' ? '' : grouping === ',' ? ',' : '_';
  let remaining = digits.length;
  let min = minWidth;
  let out = '';
  let useSep = false;
  const take = (len: number): void => {
    const zeros = Math.max(0, len - remaining);
    const chars = Math.max(0, Math.min(remaining, len));
    const part = '0'.repeat(zeros) + digits.slice(remaining - chars, remaining);
    out = part + (useSep ? sep : '') + out;
    useSep = true;
    remaining -= chars;
  };
  if (every > 0) {
    for (;;) {
      const len = Math.min(every, Math.max(remaining, min, 1));
      take(len);
      min -= len;
      if (remaining <= 0 && min <= 0) return out;
      min -= sep.length;
    }
  }
  take(Math.max(remaining, min, 1));
  return out;
}

/**
 * calc_number_widths + fill_number: `sign`, `prefix`, the digits (grouped), and a `remainder` (decimal
 * part, exponent, '%', or a 'c' character) laid out with fill and alignment.
 */
function layoutNumber(negative: boolean, prefix: string, digits: string, remainder: string, s: Spec): string {
  const sign =
    s.sign === '+' ? (negative ? '-' : '+') : s.sign === ' ' ? (negative ? '-' : ' ') : negative ? '-' : '';
  const remLen = codePointLength(remainder);
  const fixed = sign.length + prefix.length + remLen;
  const minWidth = s.fill === '0' && s.align === '=' ? s.width - fixed : 0;
  const grouped = digits === '' ? '' : groupDigits(digits, s.grouping, minWidth);
  const pad = s.width - (fixed + grouped.length);
  if (pad <= 0) return sign + prefix + grouped + remainder;
  switch (s.align) {
    case '<':
      return sign + prefix + grouped + remainder + fillText(s.fill, pad);
    case '^': {
      const left = Math.floor(pad / 2);
      return fillText(s.fill, left) + sign + prefix + grouped + remainder + fillText(s.fill, pad - left);
    }
    case '=':
      return sign + prefix + fillText(s.fill, pad) + grouped + remainder;
    default:
      return fillText(s.fill, pad) + sign + prefix + grouped + remainder;
  }
}

function formatInt(n: number | bigint, spec: string, value: unknown): string {
  const s = parseSpec(spec, value, 'd', '>');
  const t = s.type;
  if ('eEfFgG%'.includes(t)) {
    const x = Number(n);
    if (!Number.isFinite(x)) fail('OverflowError', 'int too large to convert to float');
    return formatFloatParsed(x, s);
  }
  if (!'bcdoxXn'.includes(t)) unknownCode(t, value);
  if (s.prec !== -1) fail('ValueError', 'Precision not allowed in integer format specifier');
  if (s.noNegZero) fail('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier');
  if (t === 'c') {
    if (s.sign !== '') fail('ValueError', "Sign not allowed with integer format specifier 'c'");
    if (s.alt) fail('ValueError', "Alternate form (#) not allowed with integer format specifier 'c'");
    const big = BigInt(n);
    if (big > 2n ** 63n - 1n || big < -(2n ** 63n))
      fail('OverflowError', 'Python int too large to convert to C long');
    if (big < 0n || big > 0x10ffffn) fail('OverflowError', '%c arg not in range(0x110000)');
    return layoutNumber(false, '', '', String.fromCodePoint(Number(big)), s);
  }
  const base = t === 'b' ? 2 : t === 'o' ? 8 : t === 'x' || t === 'X' ? 16 : 10;
  const negative = n < 0;
  let digits = intText(negative ? -n : n, base);
  if (t === 'X') digits = digits.toUpperCase();
  const prefix = s.alt && base !== 10 ? `0${t === 'b' ? 'b' : t === 'o' ? 'o' : t === 'X' ? 'X' : 'x'}` : '';
  return layoutNumber(negative, prefix, digits, '', s);
}

// PyOS_double_to_string for format(): the text with a leading '-' when negative.
function floatText(x: number, s: Spec): string {
  let type = s.type;
  const prec = s.prec;
  let val = x;
  let pct = '';
  if (type === 'n') type = 'g';
  if (type === '%') {
    type = 'f';
    val = x * 100;
    pct = '%';
  }
  let body: string;
  if (type === '') {
    body = prec < 0 ? floatRepr(Math.abs(val)) : formatGeneral(val, prec, s.alt, false, true);
  } else {
    const p = prec < 0 ? 6 : prec;
    if (type === 'f' || type === 'F') body = formatFixed(val, p, s.alt, type === 'F');
    else if (type === 'e' || type === 'E') body = formatExponent(val, p, s.alt, type === 'E');
    else body = formatGeneral(val, p, s.alt, type === 'G');
  }
  let negative = val === val && isNegative(val);
  if (negative && s.noNegZero && !/[1-9]/.test(body.replace(/e.*$/i, ''))) negative = false;
  return (negative ? '-' : '') + body + pct;
}

function formatFloatParsed(x: number, s: Spec): string {
  if (s.prec > 2147483647) fail('ValueError', 'precision too big');
  const text = floatText(x, s);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const m = /^[0-9]*/.exec(body);
  const digits = m === null ? '' : m[0];
  return layoutNumber(negative, '', digits, body.slice(digits.length), s);
}

function formatFloat(x: number, spec: string, value: unknown): string {
  const s = parseSpec(spec, value, '', '>');
  if (!'eEfFgGn%'.includes(s.type)) unknownCode(s.type, value);
  return formatFloatParsed(x, s);
}

/**
 * Python's built-in `format(value, spec)` for JavaScript values (str, int, bool, float, and objects,
 * which accept only an empty spec).
 */
export function pyFormat(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  if (typeof value === 'string') return formatStr(value, spec, value);
  const type = pyTypeName(value);
  if (type === 'float')
    return formatFloat(value instanceof PyFloat ? value.value : (value as number), spec, value);
  if (type === 'int' || type === 'bool') {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : (value as number | bigint);
    return formatInt(typeof n === 'number' && Object.is(n, -0) ? 0 : n, spec, value);
  }
  return fail('TypeError', `unsupported format string passed to ${type}.__format__`);
}

function renderField(
  t: BraceField,
  lookup: BraceLookup,
  adapt: BraceAdapt | undefined,
  state: RenderState,
  depth: number,
): string {
  const value = resolve(t.name, lookup, adapt, state);
  let obj: unknown = value;
  switch (t.conversion) {
    case '':
      break;
    case 'r':
      obj = pyRepr(value);
      break;
    case 's':
      obj = pyStr(value);
      break;
    case 'a':
      obj = pyAscii(value);
      break;
    default:
      fail('ValueError', `Unknown conversion specifier ${charName(t.conversion)}`);
  }
  const spec = t.nested ? build(parseBrace(t.spec), lookup, adapt, state, depth - 1) : t.spec;
  return pyFormat(obj, spec);
}

function build(
  tokens: readonly BraceToken[],
  lookup: BraceLookup,
  adapt: BraceAdapt | undefined,
  state: RenderState,
  depth: number,
): string {
  if (depth <= 0) fail('ValueError', 'Max string recursion exceeded');
  let out = '';
  for (const t of tokens) {
    if (typeof t === 'string') out += t;
    else if (isField(t)) out += renderField(t, lookup, adapt, state, depth);
    else fail('ValueError', t.error);
  }
  return out;
}

/** Renders parsed tokens with `str.format(**values)` semantics, failing where CPython fails, in order. */
export function renderBrace(tokens: readonly BraceToken[], lookup: BraceLookup, adapt?: BraceAdapt): string {
  return build(tokens, lookup, adapt, { auto: 'init', next: 0 }, 2);
}

/** The top-level record attribute names a parsed format reads (for `usesTime` and `fields`). */
export function braceFieldNames(tokens: readonly BraceToken[]): string[] {
  const out: string[] = [];
  const walk = (list: readonly BraceToken[]): void => {
    for (const t of list) {
      if (!isField(t)) continue;
      const first = /^[^.[]*/.exec(t.name)?.[0] ?? '';
      if (first !== '' && decimalIndex(first) === -1) out.push(first);
      if (t.nested) walk(parseBrace(t.spec));
    }
  };
  walk(tokens);
  return out;
}

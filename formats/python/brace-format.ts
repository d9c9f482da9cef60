import { PythonFormatError } from './python-format-error';
import { PyFloat } from './py-float';
import { formatExponent, formatFixed, formatGeneral, isNegative } from './py-number-format';
import {
  codePointLength,
  codePointSlice,
  floatRepr,
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
  /** `r`, `s`, `a`, or '' for none. */
  readonly conversion: string;
  /** The raw format spec (may hold nested fields, see `specParts`). */
  readonly spec: string;
  /** The spec parsed into literal text and nested fields when it contains `{`. */
  readonly specParts: readonly BraceToken[] | undefined;
}

/** Literal text or a replacement field. */
export type BraceToken = string | BraceField;

function invalid(message: string, phase: 'init' | 'format', position?: number): never {
  throw new PythonFormatError('ValueError', phase, message, position === undefined ? {} : { position });
}

/**
 * Parses a `str.format` template as CPython's MarkupIterator does (`{{`/`}}` escapes, nested fields
 * in the spec). Parse errors throw ValueError with CPython's wording, at `phase`.
 */
export function parseBrace(fmt: string, phase: 'init' | 'format' = 'init'): BraceToken[] {
  const out: BraceToken[] = [];
  const n = fmt.length;
  let i = 0;
  let lit = '';
  while (i < n) {
    const c = fmt[i];
    if (c !== '{' && c !== '}') {
      lit += c;
      i++;
      continue;
    }
    if (fmt[i + 1] === c) {
      lit += c;
      i += 2;
      continue;
    }
    if (c === '}') invalid("Single '}' encountered in format string", phase, i);
    if (i + 1 >= n) invalid("Single '{' encountered in format string", phase, i);
    const start = i;
    let depth = 1;
    let j = i + 1;
    for (; j < n; j++) {
      const d = fmt[j];
      if (d === '{') depth++;
      else if (d === '}' && --depth === 0) break;
    }
    if (j >= n) invalid("expected '}' before end of string", phase, start);
    if (lit !== '') out.push(lit);
    lit = '';
    out.push(parseField(fmt.slice(i + 1, j), phase, start));
    i = j + 1;
  }
  if (lit !== '') out.push(lit);
  return out;
}

function parseField(body: string, phase: 'init' | 'format', pos: number): BraceField {
  let k = 0;
  let stop = '';
  while (k < body.length) {
    const c = body[k++];
    if (c === '{') invalid("unexpected '{' in field name", phase, pos);
    if (c === '[') {
      while (k < body.length && body[k] !== ']') k++;
      continue;
    }
    if (c === ':' || c === '!') {
      stop = c;
      break;
    }
  }
  const name = stop === '' ? body : body.slice(0, k - 1);
  let conversion = '';
  let spec = '';
  if (stop === '!') {
    if (k >= body.length) invalid('end of string while looking for conversion specifier', phase, pos);
    conversion = body[k++] ?? '';
    if (k < body.length) {
      if (body[k] !== ':') invalid("expected ':' after conversion specifier", phase, pos);
      spec = body.slice(k + 1);
    }
  } else if (stop === ':') {
    spec = body.slice(k);
  }
  const specParts = spec.includes('{') ? parseBrace(spec, phase) : undefined;
  return { name, conversion, spec, specParts };
}

// logging.StrFormatStyle's validation patterns (Lib/logging/__init__.py), with Python's Unicode \w.
const FIELD_SPEC = /^([0-9]+|[\p{L}\p{N}_]+)(\.[\p{L}\p{N}_]+|\[[^\]]+\])*$/iu;
const FMT_SPEC =
  /^(.?[<>=^])?[+ -]?#?0?([0-9]+|\{[\p{L}\p{N}_]+\})?[,_]?(\.([0-9]+|\{[\p{L}\p{N}_]+\}))?[bcdefgnosx%]?$/isu;

/**
 * `StrFormatStyle.validate()`: every field name, conversion and spec must match logging's patterns
 * and at least one field must exist. Throws ValueError (phase 'init') with CPython's wording.
 */
export function validateBrace(fmt: string): BraceToken[] {
  let tokens: BraceToken[];
  try {
    tokens = parseBrace(fmt, 'init');
  } catch (err) {
    if (err instanceof PythonFormatError) {
      throw new PythonFormatError('ValueError', 'init', `invalid format: ${err.pythonMessage}`, {
        ...(err.position === undefined ? {} : { position: err.position }),
        detail: `in ${strRepr(fmt)} at position ${err.position ?? 0}`,
      });
    }
    throw err;
  }
  let fields = 0;
  const check = (list: readonly BraceToken[]): void => {
    for (const t of list) {
      if (typeof t === 'string') continue;
      if (t.name !== '') {
        if (!FIELD_SPEC.test(t.name)) bad(`invalid field name/expression: ${strRepr(t.name)}`, t.name);
        fields++;
      }
      if (t.conversion !== '' && !'rsa'.includes(t.conversion)) {
        bad(`invalid conversion: ${strRepr(t.conversion)}`, `!${t.conversion}`);
      }
      if (t.spec !== '' && !FMT_SPEC.test(t.spec)) bad(`bad specifier: ${strRepr(t.spec)}`, t.spec);
    }
  };
  const bad = (message: string, token: string): never => {
    const at = fmt.indexOf(token);
    throw new PythonFormatError('ValueError', 'init', `invalid format: ${message}`, {
      position: at,
      detail: `token ${strRepr(token)} at position ${at}`,
    });
  };
  check(tokens);
  if (fields === 0) {
    throw new PythonFormatError('ValueError', 'init', 'invalid format: no fields', {
      position: 0,
      detail: `${strRepr(fmt)} has no {field}`,
    });
  }
  return tokens;
}

/** Looks a top-level name up; returns `undefined` marker through `found: false`. */
export type BraceLookup = (name: string) => { found: boolean; value: unknown };

function keyError(key: unknown): never {
  throw new PythonFormatError('KeyError', 'format', typeof key === 'string' ? strRepr(key) : String(key));
}

function resolve(name: string, lookup: BraceLookup): unknown {
  const m = /^[^.[]*/.exec(name);
  const first = m === null ? '' : m[0];
  if (first === '' || /^[0-9]+$/.test(first)) {
    const idx = first === '' ? 0 : Number(first);
    throw new PythonFormatError(
      'IndexError',
      'format',
      `Replacement index ${idx} out of range for positional args tuple`,
    );
  }
  const hit = lookup(first);
  if (!hit.found) keyError(first);
  let value = hit.value;
  let k = first.length;
  while (k < name.length) {
    const c = name[k];
    if (c === '.') {
      const end = name.slice(k + 1).search(/[.[]/);
      const attr = end < 0 ? name.slice(k + 1) : name.slice(k + 1, k + 1 + end);
      if (attr === '') invalid('Empty attribute in format string', 'format');
      if (value === null || value === undefined || !(attr in Object(value))) {
        throw new PythonFormatError(
          'ValueError',
          'format',
          `'${pyTypeName(value)}' object has no attribute ${strRepr(attr)}`,
        );
      }
      value = (value as Record<string, unknown>)[attr];
      k += 1 + attr.length;
    } else if (c === '[') {
      const close = name.indexOf(']', k);
      if (close < 0) invalid("Missing ']' in format string", 'format');
      const raw = name.slice(k + 1, close);
      value = getItem(value, /^[0-9]+$/.test(raw) ? Number(raw) : raw);
      k = close + 1;
      if (k < name.length && name[k] !== '.' && name[k] !== '[') {
        invalid("Only '.' or '[' may follow ']' in format field specifier", 'format');
      }
    } else {
      break;
    }
  }
  return value;
}

function getItem(value: unknown, key: string | number): unknown {
  const items = Array.isArray(value) ? value : value instanceof PyTuple ? value.items : undefined;
  if (items !== undefined) {
    if (typeof key !== 'number') {
      throw new PythonFormatError(
        'TypeError',
        'format',
        `${value instanceof PyTuple ? 'tuple' : 'list'} indices must be integers or slices, not str`,
      );
    }
    if (key >= items.length) {
      throw new PythonFormatError(
        'IndexError',
        'format',
        `${value instanceof PyTuple ? 'tuple' : 'list'} index out of range`,
      );
    }
    return items[key];
  }
  if (value instanceof Map) {
    if (!value.has(key)) keyError(key);
    return value.get(key);
  }
  if (typeof value === 'string') {
    if (typeof key !== 'number') {
      throw new PythonFormatError('TypeError', 'format', 'string indices must be integers, not str');
    }
    const chars = Array.from(value);
    if (key >= chars.length) throw new PythonFormatError('IndexError', 'format', 'string index out of range');
    return chars[key];
  }
  if (value !== null && typeof value === 'object') {
    const k = String(key);
    if (!Object.hasOwn(value, k)) keyError(key);
    return (value as Record<string, unknown>)[k];
  }
  throw new PythonFormatError('TypeError', 'format', `'${pyTypeName(value)}' object is not subscriptable`);
}

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  prec: number;
  type: string;
}

function parseSpec(spec: string): Spec {
  const chars = Array.from(spec);
  let i = 0;
  let fill = ' ';
  let align = '';
  const isAlign = (c: string | undefined): boolean => c === '<' || c === '>' || c === '=' || c === '^';
  if (chars.length >= 2 && isAlign(chars[1])) {
    fill = chars[0] ?? ' ';
    align = chars[1] ?? '';
    i = 2;
  } else if (isAlign(chars[0])) {
    align = chars[0] ?? '';
    i = 1;
  }
  let sign = '';
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') sign = chars[i++] ?? '';
  if (chars[i] === 'z') i++;
  let alt = false;
  if (chars[i] === '#') {
    alt = true;
    i++;
  }
  let zero = false;
  if (chars[i] === '0') {
    zero = true;
    if (align === '') {
      fill = '0';
      align = '=';
    }
    i++;
  }
  let width = -1;
  while (i < chars.length && /[0-9]/.test(chars[i] ?? ''))
    width = (width < 0 ? 0 : width * 10) + Number(chars[i++]);
  let grouping = '';
  if (chars[i] === ',' || chars[i] === '_') grouping = chars[i++] ?? '';
  let prec = -1;
  if (chars[i] === '.') {
    i++;
    if (!/[0-9]/.test(chars[i] ?? '')) invalid('Format specifier missing precision', 'format');
    prec = 0;
    while (i < chars.length && /[0-9]/.test(chars[i] ?? '')) prec = prec * 10 + Number(chars[i++]);
  }
  if (chars.length - i > 1) invalid('Invalid format specifier', 'format');
  const type = chars[i] ?? '';
  return { fill, align, sign, alt, zero, width, grouping, prec, type };
}

function align(body: string, s: Spec, defaultAlign: string, signAndPrefix = ''): string {
  const len = codePointLength(signAndPrefix) + codePointLength(body);
  const a = s.align === '' ? defaultAlign : s.align;
  if (s.width <= len) return signAndPrefix + body;
  const fillN = s.width - len;
  switch (a) {
    case '<':
      return signAndPrefix + body + s.fill.repeat(fillN);
    case '^': {
      const left = Math.floor(fillN / 2);
      return s.fill.repeat(left) + signAndPrefix + body + s.fill.repeat(fillN - left);
    }
    case '=':
      return signAndPrefix + s.fill.repeat(fillN) + body;
    default:
      return s.fill.repeat(fillN) + signAndPrefix + body;
  }
}

function group(digits: string, sep: string, every: number): string {
  if (sep === '' || digits.length <= every) return digits;
  let out = '';
  let i = digits.length;
  while (i > every) {
    out = sep + digits.slice(i - every, i) + out;
    i -= every;
  }
  return digits.slice(0, i) + out;
}

function unknownCode(type: string, value: unknown): never {
  return invalid(`Unknown format code '${type}' for object of type '${pyTypeName(value)}'`, 'format');
}

function formatStr(s: string, spec: Spec, value: unknown): string {
  if (spec.type !== '' && spec.type !== 's') unknownCode(spec.type, value);
  if (spec.sign !== '') invalid('Sign not allowed in string format specifier', 'format');
  if (spec.alt) invalid('Alternate form (#) not allowed in string format specifier', 'format');
  if (spec.align === '=') invalid("'=' alignment not allowed in string format specifier", 'format');
  if (spec.grouping !== '') invalid(`Cannot specify '${spec.grouping}' with 's'.`, 'format');
  const body = spec.prec >= 0 ? codePointSlice(s, spec.prec) : s;
  return align(body, spec, '<');
}

function signStr(negative: boolean, sign: string): string {
  return negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
}

function formatFloatSpec(x: number, spec: Spec): string {
  const t = spec.type;
  const prec = spec.prec < 0 ? 6 : spec.prec;
  let body: string;
  let pct = '';
  switch (t) {
    case 'f':
    case 'F':
      body = formatFixed(x, prec, spec.alt, t === 'F');
      break;
    case 'e':
    case 'E':
      body = formatExponent(x, prec, spec.alt, t === 'E');
      break;
    case 'g':
    case 'G':
    case 'n':
      body = formatGeneral(x, prec, spec.alt, t === 'G');
      break;
    case '%':
      body = formatFixed(x * 100, prec, spec.alt);
      pct = '%';
      break;
    default:
      body = spec.prec < 0 ? floatRepr(Math.abs(x)) : formatGeneral(x, spec.prec, spec.alt, false, true);
  }
  if (spec.grouping !== '' && /^[0-9]/.test(body)) {
    const m = /^([0-9]+)(.*)$/s.exec(body);
    if (m !== null) body = group(m[1] ?? '', spec.grouping, 3) + (m[2] ?? '');
  }
  return align(body + pct, spec, '>', signStr(x === x && isNegative(x), spec.sign));
}

function formatIntSpec(n: number | bigint, spec: Spec, value: unknown): string {
  const t = spec.type;
  if ('eEfFgG%'.includes(t) && t !== '') return formatFloatSpec(Number(n), spec);
  if (spec.prec >= 0) invalid('Precision not allowed in integer format specifier', 'format');
  if (t === 'c') {
    const cp = Number(n);
    if (cp < 0 || cp > 0x10ffff) invalid('%c arg not in range(0x110000)', 'format');
    return align(String.fromCodePoint(cp), spec, '<');
  }
  const base =
    t === 'b' ? 2 : t === 'o' ? 8 : t === 'x' || t === 'X' ? 16 : t === '' || t === 'd' || t === 'n' ? 10 : 0;
  if (base === 0) unknownCode(t, value);
  if (spec.grouping === ',' && base !== 10) invalid(`Cannot specify ',' with '${t}'.`, 'format');
  const negative = n < 0;
  const abs = negative ? -n : n;
  let digits =
    typeof abs === 'number' && Number.isSafeInteger(abs) ? abs.toString(base) : BigInt(abs).toString(base);
  if (t === 'X') digits = digits.toUpperCase();
  digits = group(digits, spec.grouping, base === 10 ? 3 : 4);
  const prefix =
    spec.alt && base !== 10 ? `0${t === 'b' ? 'b' : t === 'o' ? 'o' : t === 'X' ? 'X' : 'x'}` : '';
  return align(digits, spec, '>', signStr(negative, spec.sign) + prefix);
}

/**
 * Python's built-in `format(value, spec)` for JavaScript values (str, int, bool, float, and objects,
 * which accept only an empty spec).
 */
export function pyFormat(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  if (typeof value === 'string') return formatStr(value, parseSpec(spec), value);
  const isFloat = value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
  if (isFloat) {
    const s = parseSpec(spec);
    if ('bcdoxX'.includes(s.type) && s.type !== '') unknownCode(s.type, value);
    return formatFloatSpec(value instanceof PyFloat ? value.value : value, s);
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    return formatIntSpec(n, parseSpec(spec), value);
  }
  throw new PythonFormatError(
    'TypeError',
    'format',
    `unsupported format string passed to ${pyTypeName(value)}.__format__`,
  );
}

/** Wraps a looked-up value (float-by-name fields); identity by default. */
export type BraceAdapt = (name: string, value: unknown) => unknown;

function renderField(t: BraceField, lookup: BraceLookup, adapt: BraceAdapt | undefined): string {
  let value = resolve(t.name, lookup);
  if (adapt !== undefined && !t.name.includes('.') && !t.name.includes('[')) value = adapt(t.name, value);
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
      invalid(`Unknown conversion specifier ${t.conversion}`, 'format');
  }
  const spec = t.specParts === undefined ? t.spec : renderBrace(t.specParts, lookup, adapt);
  return pyFormat(obj, spec);
}

/** Renders parsed tokens with `str.format(**values)` semantics. */
export function renderBrace(tokens: readonly BraceToken[], lookup: BraceLookup, adapt?: BraceAdapt): string {
  let out = '';
  for (const t of tokens) out += typeof t === 'string' ? t : renderField(t, lookup, adapt);
  return out;
}

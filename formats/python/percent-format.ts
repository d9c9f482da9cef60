import { PythonFormatError } from './python-format-error';
import { PyFloat } from './py-float';
import { formatExponent, formatFixed, formatGeneral, isNegative } from './py-number-format';
import {
  codePointLength,
  codePointSlice,
  isPyMapping,
  pyAscii,
  pyRepr,
  pyStr,
  pyTypeName,
  strRepr,
} from './py-repr';
import { PyTuple } from './py-tuple';

const F_LEFT = 1;
const F_ZERO = 2;
const F_PLUS = 4;
const F_SPACE = 8;
const F_ALT = 16;
/** Width or precision given as `*`: taken from the next argument. */
const STAR = -2;
const NONE = -1;
const MAX_SSIZE = 2 ** 63 - 1;
const MAX_INT = 2 ** 31 - 1;

/** One `%` conversion of a format string, parsed once. */
export interface PercentSpec {
  /** `%(key)` mapping key, or undefined for a positional conversion. */
  readonly key: string | undefined;
  readonly flags: number;
  /** -1 none, -2 `*`. */
  readonly width: number;
  /** -1 none, -2 `*`. */
  readonly prec: number;
  /** Conversion character; '' when the format ends early (`error` is set). */
  readonly type: string;
  /** Index of the conversion character (or of the end of the string). */
  readonly pos: number;
  /** Set when Python's parser fails at this conversion. */
  readonly error?: 'incomplete format' | 'incomplete format key';
  /** Set when a literal width or precision overflows CPython's Py_ssize_t / int. */
  readonly tooBig?: 'width too big' | 'precision too big';
}

/** A parsed format: literal text and conversions, in order. */
export type PercentToken = string | PercentSpec;

/**
 * Parses a `%` format string once, as CPython's `PyUnicode_Format` reads it. Errors are not thrown
 * here: Python reports them only when formatting reaches them (after earlier conversions ran), so a
 * failing conversion is kept as a token carrying its error.
 */
export function parsePercent(fmt: string): PercentToken[] {
  const out: PercentToken[] = [];
  const n = fmt.length;
  let lit = '';
  let i = 0;
  while (i < n) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      lit += fmt.slice(i);
      break;
    }
    lit += fmt.slice(i, pct);
    i = pct + 1;
    if (fmt.charCodeAt(i) === 37) {
      lit += '%';
      i++;
      continue;
    }
    if (lit !== '') out.push(lit);
    lit = '';
    let key: string | undefined;
    if (fmt.charCodeAt(i) === 40) {
      // Parentheses inside a key are balanced: '%(na(me))s' has key 'na(me)'.
      let depth = 1;
      let j = i + 1;
      while (j < n && depth > 0) {
        const c = fmt.charCodeAt(j);
        if (c === 40) depth++;
        else if (c === 41) depth--;
        j++;
      }
      if (depth > 0) {
        out.push({
          key: undefined,
          flags: 0,
          width: NONE,
          prec: NONE,
          type: '',
          pos: n,
          error: 'incomplete format key',
        });
        return out;
      }
      key = fmt.slice(i + 1, j - 1);
      i = j;
    }
    let flags = 0;
    for (; i < n; i++) {
      const c = fmt[i];
      if (c === '-') flags |= F_LEFT;
      else if (c === '0') flags |= F_ZERO;
      else if (c === '+') flags |= F_PLUS;
      else if (c === ' ') flags |= F_SPACE;
      else if (c === '#') flags |= F_ALT;
      else break;
    }
    let width = NONE;
    let tooBig: PercentSpec['tooBig'];
    if (fmt[i] === '*') {
      width = STAR;
      i++;
    } else {
      while (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) {
        width = (width < 0 ? 0 : width * 10) + fmt.charCodeAt(i) - 48;
        i++;
        if (width > MAX_SSIZE) {
          tooBig = 'width too big';
          break;
        }
      }
    }
    let prec = NONE;
    if (tooBig === undefined && fmt[i] === '.') {
      i++;
      prec = 0;
      if (fmt[i] === '*') {
        prec = STAR;
        i++;
      } else {
        while (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) {
          prec = prec * 10 + fmt.charCodeAt(i) - 48;
          i++;
          if (prec > MAX_INT) {
            tooBig = 'precision too big';
            break;
          }
        }
      }
    }
    if (tooBig !== undefined) {
      out.push({ key, flags, width, prec, type: '', pos: codePointLength(fmt.slice(0, i)), tooBig });
      return out;
    }
    // One length modifier is accepted and ignored ('%ld'); a second one is an unsupported character.
    if (i < n && (fmt[i] === 'h' || fmt[i] === 'l' || fmt[i] === 'L')) i++;
    if (i >= n) {
      out.push({ key, flags, width, prec, type: '', pos: n, error: 'incomplete format' });
      return out;
    }
    const type = String.fromCodePoint(fmt.codePointAt(i) ?? 0);
    out.push({ key, flags, width, prec, type, pos: codePointLength(fmt.slice(0, i)) });
    i += type.length;
  }
  if (lit !== '') out.push(lit);
  return out;
}

/** Where `%(key)` conversions look their values up. Returns `MISSING` for an absent key. */
export type PercentLookup = (key: string) => unknown;

/** Returned by a {@link PercentLookup} for a key that is not there (Python's KeyError). */
export const MISSING: unique symbol = Symbol('missing');

function fail(type: 'TypeError' | 'ValueError' | 'OverflowError', message: string, position?: number): never {
  throw new PythonFormatError(type, 'format', message, position === undefined ? {} : { position });
}

/** Throws Python's KeyError for a missing mapping key (`str(KeyError('k'))` is `'k'`). */
export function keyError(key: string): never {
  throw new PythonFormatError('KeyError', 'format', strRepr(key));
}

function pad(body: string, width: number, left: boolean): string {
  if (width <= 0) return body;
  const len = codePointLength(body);
  if (len >= width) return body;
  const fill = ' '.repeat(width - len);
  return left ? body + fill : fill + body;
}

function padNumber(sign: string, prefix: string, digits: string, flags: number, width: number): string {
  const len = sign.length + prefix.length + digits.length;
  if (width <= len) return sign + prefix + digits;
  const fill = width - len;
  if (flags & F_LEFT) return sign + prefix + digits + ' '.repeat(fill);
  if (flags & F_ZERO) return sign + prefix + '0'.repeat(fill) + digits;
  return ' '.repeat(fill) + sign + prefix + digits;
}

function signOf(negative: boolean, flags: number): string {
  return negative ? '-' : flags & F_PLUS ? '+' : flags & F_SPACE ? ' ' : '';
}

// Python's int() of a value accepted by %d (bool, int, float truncated toward zero).
function toInt(v: unknown, type: string, pos: number): number | bigint {
  if (typeof v === 'number' || v instanceof PyFloat) {
    const x = typeof v === 'number' ? v : v.value;
    const isFloat = v instanceof PyFloat || !Number.isInteger(x);
    if (isFloat && type !== 'd' && type !== 'i' && type !== 'u') {
      fail('TypeError', `%${type} format: an integer is required, not float`, pos);
    }
    if (x !== x) fail('ValueError', 'cannot convert float NaN to integer', pos);
    if (x === Infinity || x === -Infinity)
      fail('OverflowError', 'cannot convert float infinity to integer', pos);
    const t = Math.trunc(x);
    return t === 0 ? 0 : t;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v;
  if (type === 'd' || type === 'i' || type === 'u') {
    fail('TypeError', `%${type} format: a real number is required, not ${pyTypeName(v)}`, pos);
  }
  return fail('TypeError', `%${type} format: an integer is required, not ${pyTypeName(v)}`, pos);
}

function toFloat(v: unknown, pos: number): number {
  // A plain -0 is the int 0 (Python has no negative integer zero); PyFloat(-0) keeps its sign.
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') {
    const x = Number(v);
    if (!Number.isFinite(x)) fail('ValueError', 'int too large to convert to float', pos);
    return x;
  }
  return fail('TypeError', `must be real number, not ${pyTypeName(v)}`, pos);
}

function formatInt(
  v: unknown,
  type: string,
  flags: number,
  width: number,
  prec: number,
  pos: number,
): string {
  const n = toInt(v, type, pos);
  const negative = n < 0;
  const base = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
  const abs = negative ? -n : n;
  let digits =
    typeof abs === 'number' && Number.isSafeInteger(abs) ? abs.toString(base) : BigInt(abs).toString(base);
  if (type === 'X') digits = digits.toUpperCase();
  if (prec > digits.length) digits = digits.padStart(prec, '0');
  const prefix = flags & F_ALT && base !== 10 ? (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') : '';
  return padNumber(signOf(negative, flags), prefix, digits, flags, width);
}

function formatFloat(
  v: unknown,
  type: string,
  flags: number,
  width: number,
  prec: number,
  pos: number,
): string {
  const x = toFloat(v, pos);
  const p = prec < 0 ? 6 : prec;
  const alt = (flags & F_ALT) !== 0;
  let body: string;
  switch (type) {
    case 'f':
    case 'F':
      body = formatFixed(x, p, alt, type === 'F');
      break;
    case 'e':
    case 'E':
      body = formatExponent(x, p, alt, type === 'E');
      break;
    default:
      body = formatGeneral(x, p, alt, type === 'G');
  }
  return padNumber(signOf(x === x && isNegative(x), flags), '', body, flags, width);
}

function formatChar(v: unknown, flags: number, width: number, pos: number): string {
  let ch: string;
  if (typeof v === 'string') {
    if (codePointLength(v) !== 1) fail('TypeError', '%c requires int or char', pos);
    ch = v;
  } else if (
    (typeof v === 'number' && Number.isInteger(v)) ||
    typeof v === 'boolean' ||
    typeof v === 'bigint'
  ) {
    const n = Number(v);
    if (n < 0 || n > 0x10ffff) fail('OverflowError', '%c arg not in range(0x110000)', pos);
    ch = String.fromCodePoint(n);
  } else {
    return fail('TypeError', '%c requires int or char', pos);
  }
  return pad(ch, width, (flags & F_LEFT) !== 0);
}

/**
 * Formats one value for one conversion character with flags, width and precision, as Python's
 * `'%<flags><width>.<prec><type>' % (v,)` does. Throws {@link PythonFormatError} (phase 'format')
 * where Python raises.
 */
export function formatValue(
  v: unknown,
  type: string,
  flags: number,
  width: number,
  prec: number,
  pos = 0,
): string {
  switch (type) {
    case 's':
    case 'r':
    case 'a': {
      let s = type === 's' ? pyStr(v) : type === 'r' ? pyRepr(v) : pyAscii(v);
      if (prec >= 0) s = codePointSlice(s, prec);
      return pad(s, width, (flags & F_LEFT) !== 0);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      return formatInt(v, type, flags, width, prec, pos);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return formatFloat(v, type, flags, width, prec, pos);
    case 'c':
      return formatChar(v, flags, width, pos);
    default: {
      // CPython prints the character only when it is printable ASCII (31..126), else '?'; the index
      // counts code points.
      const cp = type.codePointAt(0) ?? 0;
      const shown = cp >= 31 && cp <= 126 ? type : '?';
      return fail(
        'ValueError',
        `unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${pos}`,
        pos,
      );
    }
  }
}

// A '*' width or precision: any int (bool included), range-checked as PyLong_AsSsize_t / _PyLong_AsInt.
function starInt(v: unknown, limit: bigint, cType: string, pos: number): number {
  let n: bigint;
  if (typeof v === 'boolean') n = v ? 1n : 0n;
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else return fail('TypeError', '* wants int', pos);
  if (n >= limit || n < -limit) fail('OverflowError', `Python int too large to convert to C ${cType}`, pos);
  return Number(n);
}

/**
 * Runs a parsed format against Python `%` arguments: `items` for a tuple, else `single` (one value,
 * which is also the mapping `lookup` reads when it is a mapping). Mirrors CPython's argument
 * bookkeeping, including its error order and messages.
 */
export function runPercent(
  tokens: readonly PercentToken[],
  items: readonly unknown[] | undefined,
  single: unknown,
  lookup: PercentLookup | undefined,
): string {
  // CPython: arglen = len(tuple) or -1 for a single value; argidx starts at 0 or -2.
  let arglen = items === undefined ? -1 : items.length;
  let argidx = items === undefined ? -2 : 0;
  let current: unknown = single;
  const next = (pos: number): unknown => {
    if (argidx < arglen) {
      const i = argidx++;
      return arglen < 0 ? current : items?.[i];
    }
    return fail('TypeError', 'not enough arguments for format string', pos);
  };
  let out = '';
  for (const t of tokens) {
    if (typeof t === 'string') {
      out += t;
      continue;
    }
    if (t.error === 'incomplete format key') fail('ValueError', 'incomplete format key', t.pos);
    if (t.key !== undefined) {
      if (lookup === undefined) fail('TypeError', 'format requires a mapping', t.pos);
      const v = lookup(t.key);
      if (v === MISSING) keyError(t.key);
      current = v;
      arglen = -1;
      argidx = -2;
    }
    let width = t.width;
    if (width === STAR) {
      width = starInt(next(t.pos), 2n ** 63n, 'ssize_t', t.pos);
    }
    let flags = t.flags;
    if (width < 0 && t.width === STAR) {
      flags |= F_LEFT;
      width = -width;
    }
    if (t.tooBig === 'width too big') fail('ValueError', t.tooBig, t.pos);
    let prec = t.prec;
    if (prec === STAR) {
      // A negative precision from '*' is 0, as CPython clamps it.
      prec = Math.max(0, starInt(next(t.pos), 2n ** 31n, 'int', t.pos));
    }
    if (t.tooBig !== undefined) fail('ValueError', t.tooBig, t.pos);
    if (t.error !== undefined) fail('ValueError', t.error, t.pos);
    const v = next(t.pos);
    out += formatValue(v, t.type, flags, width, prec, t.pos);
  }
  if (argidx < arglen && lookup === undefined) {
    fail('TypeError', 'not all arguments converted during string formatting');
  }
  return out;
}

const cache = new Map<string, PercentToken[]>();
const CACHE_LIMIT = 2000;

/** Parses with a bounded cache: log messages repeat a handful of templates. */
export function parsePercentCached(fmt: string): PercentToken[] {
  // A message without '%' is one literal: no parse, and no hashing of a (possibly large, usually unique)
  // message into the cache, which would only evict the templates that do repeat.
  if (fmt.indexOf('%') === -1) return [fmt];
  let tokens = cache.get(fmt);
  if (tokens === undefined) {
    tokens = parsePercent(fmt);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(fmt, tokens);
  }
  return tokens;
}

function mappingLookup(m: Record<string, unknown> | Map<unknown, unknown>): PercentLookup {
  if (m instanceof Map) return (k) => (m.has(k) ? m.get(k) : MISSING);
  return (k) => (Object.hasOwn(m, k) ? m[k] : MISSING);
}

/**
 * Python's `fmt % args` for JavaScript arguments: an array or {@link PyTuple} is a tuple, a plain
 * object or Map is a mapping, anything else a single value.
 */
export function percentFormat(fmt: string, args: unknown): string {
  const tokens = parsePercentCached(fmt);
  if (Array.isArray(args)) return runPercent(tokens, args, undefined, undefined);
  if (args instanceof PyTuple) return runPercent(tokens, args.items, undefined, undefined);
  return runPercent(tokens, undefined, args, isPyMapping(args) ? mappingLookup(args) : undefined);
}

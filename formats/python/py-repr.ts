import { PyFloat } from './py-float';
import { isPyNonPrintable } from './py-printable';
import { PyTuple } from './py-tuple';

// Strings that repr() can wrap in quotes unchanged: printable ASCII without quotes or backslashes.
const PLAIN_ASCII = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;
const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** Length in code points, as Python's `len(str)` counts (an astral character is 1). */
export function codePointLength(s: string): number {
  if (!HAS_SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The first `n` code points of `s` (Python's `s[:n]`). */
export function codePointSlice(s: string, n: number): string {
  if (!HAS_SURROGATE.test(s)) return s.slice(0, n);
  let out = '';
  let i = 0;
  for (const ch of s) {
    if (i++ >= n) break;
    out += ch;
  }
  return out;
}

/** True when `value` is rendered as a Python mapping (plain object, null-prototype object or Map). */
export function isPyMapping(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  if (value === null || typeof value !== 'object') return false;
  try {
    if (value instanceof Map) return true;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    // A revoked Proxy throws on every inspection.
    return false;
  }
}

/**
 * The digits of an integer in `base` (no sign for non-negative values): exact for a BigInt and for a
 * number above 2^53 (which is the integer it holds, not `1e+21`).
 */
export function intText(n: number | bigint, base = 10): string {
  if (typeof n === 'number') {
    if (Number.isSafeInteger(n)) return n.toString(base);
    return BigInt(n).toString(base);
  }
  return n.toString(base);
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function floatRepr(x: number): string {
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    return Number.isInteger(x) ? `${s}.0` : s;
  }
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (x !== x) return 'nan';
  if (ax === Infinity) return x < 0 ? '-inf' : 'inf';
  // toExponential() without an argument gives the shortest round-trip digits, like Python's repr.
  const e = x.toExponential();
  const at = e.indexOf('e');
  const mant = e.slice(0, at);
  const exp = Number(e.slice(at + 1));
  const sign = exp < 0 ? '-' : '+';
  const digits = String(exp < 0 ? -exp : exp).padStart(2, '0');
  return `${mant}e${sign}${digits}`;
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** Python's `repr(str)` (or `ascii(str)` when `asciiOnly`): quote choice and escapes as CPython. */
export function strRepr(s: string, asciiOnly = false): string {
  if (PLAIN_ASCII.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += escapeCodePoint(cp);
    else if (cp < 0x7f) out += ch;
    else if (asciiOnly || isPyNonPrintable(cp)) out += escapeCodePoint(cp);
    else out += ch;
  }
  return out + quote;
}

function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    else if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = '';
  for (const c of b) {
    if (c === quote || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${hex(c, 2)}`;
    else out += String.fromCharCode(c);
  }
  const q = String.fromCharCode(quote);
  return `b${q}${out}${q}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// str(datetime) of the local wall-clock time; microseconds only when non-zero, as Python prints them.
function dateStr(d: Date): string {
  const t = d.getTime();
  if (t !== t) return 'Invalid Date';
  const ms = d.getMilliseconds();
  const base = `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}

function dateRepr(d: Date): string {
  if (d.getTime() !== d.getTime()) return 'Invalid Date';
  const parts = [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
  const s = d.getSeconds();
  const us = d.getMilliseconds() * 1000;
  if (s !== 0 || us !== 0) parts.push(s);
  if (us !== 0) parts.push(us);
  return `datetime.datetime(${parts.join(', ')})`;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function errorName(e: Error): string {
  try {
    return typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
  } catch {
    return 'Error';
  }
}

function errorMessage(e: Error): string {
  try {
    return typeof e.message === 'string' ? e.message : safeString(e.message);
  } catch {
    return '';
  }
}

function hasCustomToString(v: object): boolean {
  try {
    const f = (v as { toString?: unknown }).toString;
    return typeof f === 'function' && f !== Object.prototype.toString;
  } catch {
    return false;
  }
}

function functionRepr(f: (...args: never[]) => unknown): string {
  let name: string;
  try {
    name = typeof f.name === 'string' ? f.name : '';
  } catch {
    name = '';
  }
  return `<function ${name === '' ? '<lambda>' : name}>`;
}

/**
 * Python's `repr()` of a JavaScript value. `ancestors` holds the containers being rendered, so a
 * container that contains itself renders `[...]` / `{...}` as CPython does.
 */
export function pyRepr(value: unknown, asciiOnly = false, ancestors?: Set<object>): string {
  try {
    return reprOf(value, asciiOnly, ancestors);
  } catch {
    // A revoked Proxy or a trap that throws: log something rather than throw into the caller.
    return '<object (repr failed)>';
  }
}

function reprOf(value: unknown, asciiOnly: boolean, ancestors: Set<object> | undefined): string {
  switch (typeof value) {
    case 'string':
      return strRepr(value, asciiOnly);
    case 'number':
      return Number.isInteger(value) ? (Object.is(value, -0) ? '0' : intText(value)) : floatRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'undefined':
      return 'None';
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.description ?? '';
    case 'function':
      return functionRepr(value as (...args: never[]) => unknown);
    default:
      break;
  }
  if (value === null) return 'None';
  const obj = value as object;
  if (obj instanceof PyFloat) return floatRepr(obj.value);
  if (obj instanceof Date) return dateRepr(obj);
  if (obj instanceof Error) return `${errorName(obj)}(${strRepr(errorMessage(obj), asciiOnly)})`;
  if (obj instanceof Uint8Array) return bytesRepr(obj);
  const seen = ancestors ?? new Set<object>();
  if (obj instanceof PyTuple) {
    if (seen.has(obj)) return '(...)';
    seen.add(obj);
    const items = obj.items.map((v) => pyRepr(v, asciiOnly, seen));
    seen.delete(obj);
    return items.length === 1 ? `(${items[0] ?? ''},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    if (seen.has(obj)) return '[...]';
    seen.add(obj);
    const items = Array.from(obj as ArrayLike<unknown>, (v) => pyRepr(v, asciiOnly, seen));
    seen.delete(obj);
    return `[${items.join(', ')}]`;
  }
  if (obj instanceof Set) {
    if (obj.size === 0) return 'set()';
    if (seen.has(obj)) return '{...}';
    seen.add(obj);
    const items = Array.from(obj, (v) => pyRepr(v, asciiOnly, seen));
    seen.delete(obj);
    return `{${items.join(', ')}}`;
  }
  if (obj instanceof Map) {
    if (seen.has(obj)) return '{...}';
    seen.add(obj);
    const items = Array.from(obj, ([k, v]) => `${pyRepr(k, asciiOnly, seen)}: ${pyRepr(v, asciiOnly, seen)}`);
    seen.delete(obj);
    return `{${items.join(', ')}}`;
  }
  if (!isPyMapping(obj) && hasCustomToString(obj)) return safeString(obj);
  if (seen.has(obj)) return '{...}';
  seen.add(obj);
  const items: string[] = [];
  try {
    for (const k of Object.keys(obj)) {
      let v: unknown;
      try {
        v = (obj as Record<string, unknown>)[k];
      } catch (err) {
        v = err;
      }
      items.push(`${strRepr(k, asciiOnly)}: ${pyRepr(v, asciiOnly, seen)}`);
    }
  } finally {
    seen.delete(obj);
  }
  return `{${items.join(', ')}}`;
}

/** Python's `str()` of a JavaScript value: strings as they are, errors as their message, else `repr()`. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    try {
      if (value instanceof Error) return errorMessage(value);
      if (value instanceof Date) return dateStr(value);
    } catch {
      return '<object (str failed)>';
    }
  }
  return pyRepr(value);
}

/** Python's `ascii()`: `repr()` with every non-ASCII character escaped. */
export function pyAscii(value: unknown): string {
  return pyRepr(value, true);
}

/** The Python type name of a value, for error messages (`str`, `int`, `float`, `NoneType`, `dict` …). */
export function pyTypeName(value: unknown): string {
  try {
    return typeNameOf(value);
  } catch {
    return 'object';
  }
}

function typeNameOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'NoneType';
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
    default:
      break;
  }
  if (value === null) return 'NoneType';
  if (value instanceof PyFloat) return 'float';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof Date) return 'datetime.datetime';
  if (value instanceof Error) return errorName(value);
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Set) return 'set';
  if (isPyMapping(value)) return 'dict';
  return 'object';
}

import { PyFloat } from '../../../formats/python/py-float';
import { PyTuple } from '../../../formats/python/py-tuple';
import type { Prng } from './prng';

/**
 * A value as both sides of a differential case read it: JSON with tags for what JSON cannot say.
 * `{"$int": "…", "js": "number" | "bigint"}` is a Python int (a JS number only when exactly representable),
 * `{"$float": "…", "js": "number" | "pyfloat"}` a Python float (a plain JS number only when not integral),
 * `{"$tuple": […]}` a tuple; arrays are lists and objects dicts.
 */
export type TaggedValue =
  | string
  | boolean
  | null
  | TaggedValue[]
  | { $int: string; js: 'number' | 'bigint' }
  | { $float: string; js: 'number' | 'pyfloat' }
  | { $tuple: TaggedValue[] }
  | { [key: string]: TaggedValue };

/** The JavaScript value a user of the package would pass for a tagged value. */
export function toJs(v: TaggedValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJs);
  if ('$int' in v && typeof v.$int === 'string') return v.js === 'bigint' ? BigInt(v.$int) : Number(v.$int);
  if ('$float' in v && typeof v.$float === 'string') {
    const x = Number(v.$float);
    return v.js === 'number' ? x : new PyFloat(x);
  }
  if ('$tuple' in v && Array.isArray(v.$tuple)) return new PyTuple(v.$tuple.map(toJs));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toJs(x);
  return out;
}

/** An int: a JS number when exact, else a BigInt or (when the double holds it exactly) a number. */
export function int(rng: Prng, n: bigint): TaggedValue {
  const exactNumber = BigInt(Number(n)) === n;
  const big = n > 2n ** 53n || n < -(2n ** 53n);
  return { $int: String(n), js: exactNumber && (!big || rng.chance(0.5)) ? 'number' : 'bigint' };
}

/** A float; integral floats (and -0.0) must be PyFloat in JS, the others may be either. */
export function float(rng: Prng, x: number): TaggedValue {
  const repr = Object.is(x, -0) ? '-0.0' : x !== x ? 'nan' : String(x);
  const integral = Number.isInteger(x);
  return { $float: repr, js: integral || !rng.chance(0.5) ? 'pyfloat' : 'number' };
}

const TEXT_POOL = [
  'a',
  'Z',
  ' ',
  '0',
  '9',
  '-',
  '_',
  '.',
  ',',
  "'",
  '"',
  '\\',
  '\n',
  '\t',
  '\x00',
  '\x7f',
  'é',
  'ß',
  '\u00a0',
  '\u200b',
  '\u31ef',
  '\u0378',
  '\u2028',
  '日',
  '本',
  '\ud83d\ude00',
  '\ud800\udc00',
  '\u{1f9ff}',
  '\u{1fae8}',
  '\u{e0001}',
  '\u{10ffff}',
  '\u{f0000}',
  'İ',
  'ǅ',
];

/** A short string drawn from ASCII, controls, quotes, non-BMP and Unicode-version-sensitive characters. */
export function text(rng: Prng, max = 8): string {
  let s = '';
  const n = rng.int(0, max);
  for (let i = 0; i < n; i++) s += rng.pick(TEXT_POOL);
  return s;
}

const FLOATS = [
  0.5,
  -0.5,
  1.5,
  2.5,
  0.1,
  1e-5,
  1.23456789e-7,
  123456.789,
  1e16,
  1.5e300,
  5e-324,
  1 / 3,
  -2.675,
];

/** A random Python value of any kind the formats meet. */
export function value(rng: Prng, depth = 0): TaggedValue {
  const k = rng.int(0, depth > 0 ? 9 : 12);
  switch (k) {
    case 0:
    case 1:
      return text(rng);
    case 2:
      return int(rng, BigInt(rng.int(-1000, 100000)));
    case 3: {
      const pow = BigInt(rng.int(50, 80));
      const n = 2n ** pow * (rng.chance(0.3) ? -1n : 1n) + (rng.chance(0.5) ? 0n : BigInt(rng.int(-3, 3)));
      return int(rng, rng.chance(0.2) ? 10n ** BigInt(rng.int(16, 25)) : n);
    }
    case 4:
      return float(rng, rng.pick(FLOATS) * (rng.chance(0.3) ? -1 : 1));
    case 5:
      return float(rng, rng.pick([0, -0, 1, -3, 1e21, 2 ** 60, NaN, Infinity, -Infinity, 1e100]));
    case 6:
      return rng.chance(0.5);
    case 7:
      return null;
    case 8:
      return int(rng, BigInt(rng.pick([0, 1, 65, 0x1f600, 0x110000, -1, 0x10ffff])));
    case 9:
      return float(rng, rng.next() * 10 ** rng.int(-8, 20) * (rng.chance(0.5) ? -1 : 1));
    case 10:
      return [value(rng, depth + 1), value(rng, depth + 1)].slice(0, rng.int(0, 2));
    case 11:
      return { $tuple: [value(rng, depth + 1)].slice(0, rng.int(0, 1)) };
    default:
      return { [text(rng, 3)]: value(rng, depth + 1) };
  }
}

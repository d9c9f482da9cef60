/**
 * Float formatting with CPython's rounding: the exact binary value of the double is rounded, ties to
 * even (`'%.0f' % 2.5` is `2`, `'%.2f' % 1.005` is `1.00`). JavaScript's `toFixed` rounds ties up.
 * Results carry no sign; callers add it (`negative` tells them).
 */

const view = new DataView(new ArrayBuffer(8));
const TEN = 10n;

interface ExactDecimal {
  /** All significant digits of |x| as an integer: |x| = digits / 10^scale. */
  readonly n: bigint;
  readonly scale: number;
}

// |x| exactly as n / 10^scale: a double is m * 2^e, and m * 2^-k = m * 5^k / 10^k.
function exactDecimal(ax: number): ExactDecimal {
  view.setFloat64(0, ax);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) {
    e = -1074;
  } else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  if (m === 0n) return { n: 0n, scale: 0 };
  if (e >= 0) return { n: m << BigInt(e), scale: 0 };
  return { n: m * 5n ** BigInt(-e), scale: -e };
}

// n / 10^drop rounded half to even.
function roundDrop(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * TEN ** BigInt(-drop);
  const p = TEN ** BigInt(drop);
  let q = n / p;
  const r = n % p;
  const twice = r * 2n;
  if (twice > p || (twice === p && (q & 1n) === 1n)) q += 1n;
  return q;
}

function special(ax: number, upper: boolean): string | undefined {
  if (ax !== ax) return upper ? 'NAN' : 'nan';
  if (ax === Infinity) return upper ? 'INF' : 'inf';
  return undefined;
}

/** True for negative numbers and -0 (Python prints `-0.000000`). */
export function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** `%.{prec}f` of |x|. `alt` (`#`) keeps the point when prec is 0. */
export function formatFixed(x: number, prec: number, alt = false, upper = false): string {
  const ax = Math.abs(x);
  const sp = special(ax, upper);
  if (sp !== undefined) return sp;
  const { n, scale } = exactDecimal(ax);
  const q = roundDrop(n, scale - prec);
  if (prec === 0) return alt ? `${q}.` : String(q);
  const s = String(q).padStart(prec + 1, '0');
  return `${s.slice(0, -prec)}.${s.slice(-prec)}`;
}

// Digits of |x| rounded to `sig` significant digits, with the decimal exponent of the first digit.
function significant(ax: number, sig: number): { digits: string; exp: number } {
  if (ax === 0) return { digits: '0'.repeat(sig), exp: 0 };
  const { n, scale } = exactDecimal(ax);
  const len = String(n).length;
  let exp = len - 1 - scale;
  let q = roundDrop(n, len - sig);
  let digits = String(q);
  if (digits.length > sig) {
    q = q / TEN;
    digits = String(q);
    exp += 1;
  }
  return { digits, exp };
}

function expSuffix(exp: number, upper: boolean): string {
  const a = exp < 0 ? -exp : exp;
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

/** `%.{prec}e` of |x|. */
export function formatExponent(x: number, prec: number, alt = false, upper = false): string {
  const ax = Math.abs(x);
  const sp = special(ax, upper);
  if (sp !== undefined) return sp;
  const { digits, exp } = significant(ax, prec + 1);
  const head = digits.slice(0, 1);
  const tail = digits.slice(1);
  const mant = tail === '' ? (alt ? `${head}.` : head) : `${head}.${tail}`;
  return mant + expSuffix(exp, upper);
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * `%.{prec}g` of |x| (C's rules: exponent form when exp < -4 or exp >= prec; trailing zeros removed
 * unless `alt`). `noneType` gives Python's `format(x, '.{prec}')`, which keeps one decimal digit.
 */
export function formatGeneral(x: number, prec: number, alt = false, upper = false, noneType = false): string {
  const ax = Math.abs(x);
  const sp = special(ax, upper);
  if (sp !== undefined) return sp;
  const p = prec === 0 ? 1 : prec;
  const { digits, exp } = significant(ax, p);
  let out: string;
  if (exp < -4 || exp >= (noneType ? p - 1 : p)) {
    const head = digits.slice(0, 1);
    let tail = digits.slice(1);
    if (!alt) tail = stripZeros(`0.${tail}`).slice(2);
    out = (tail === '' ? (alt ? `${head}.` : head) : `${head}.${tail}`) + expSuffix(exp, upper);
  } else {
    let s: string;
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1);
      const frac = digits.slice(exp + 1);
      s = frac === '' ? (alt ? `${intPart}.` : intPart) : `${intPart}.${frac}`;
    } else {
      s = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
    out = alt ? s : stripZeros(s);
    if (noneType && !out.includes('.')) out += '.0';
  }
  return out;
}

import type { Prng } from './prng';
import { float, int, text, value } from './values';
import type { TaggedValue } from './values';

/** One formatter case: `logging.Formatter(fmt, datefmt, style, validate)` formatting one record. */
export interface FormatCase {
  readonly id: string;
  readonly tz: string;
  readonly fmt: string;
  readonly datefmt: string | null;
  readonly style: '%' | '{' | '$';
  readonly validate: boolean;
  /** `converter = time.gmtime` (the package's `utc: true`). */
  readonly utc: boolean;
  /** `Formatter(defaults=…)`: values for fields the record lacks. */
  readonly defaults: Record<string, TaggedValue> | null;
  readonly record: Record<string, TaggedValue>;
}

/** Zones with LMT, pre-1970 DST, half-hour and odd offsets, and abbreviations ICU names differently. */
export const ZONES = [
  'UTC',
  'Asia/Seoul',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/Sao_Paulo',
  'Africa/Monrovia',
  'Pacific/Chatham',
  'Europe/Dublin',
];

const FIELDS = ['name', 'levelname', 'levelno', 'message', 'asctime', 'created', 'msecs', 'lineno', 'x', 'y'];
const RARE_FIELDS = ['relativeCreated', 'args', 'msg', 'nosuch', 'z', 'funcName'];

function fieldName(rng: Prng): string {
  return rng.chance(0.85) ? rng.pick(FIELDS) : rng.pick(RARE_FIELDS);
}

function literal(rng: Prng, style: '%' | '{' | '$'): string {
  const escapes = style === '%' ? ['%%'] : style === '{' ? ['{{', '}}'] : ['$$'];
  let s = '';
  const n = rng.int(0, 3);
  for (let i = 0; i < n; i++) s += rng.chance(0.2) ? rng.pick(escapes) : text(rng, 3).replace(/[%{}$]/g, '');
  return s;
}

function digits(rng: Prng): string {
  return String(rng.pick([0, 1, 2, 3, 5, 8, 12, 20, rng.int(0, 40)]));
}

function percentField(rng: Prng): string {
  let s = '%';
  // Without a key, a conversion formats the whole record dict (whose Python-only attributes differ):
  // only the conversions that reject a dict are generated.
  const positional = rng.chance(0.05);
  if (!positional) s += `(${fieldName(rng)})`;
  let flags = '';
  while (rng.chance(0.3)) flags += rng.pick(['#', '0', '-', ' ', '+']);
  s += flags;
  if (rng.chance(0.4)) s += rng.chance(0.1) ? '*' : digits(rng);
  if (rng.chance(0.3)) s += `.${rng.chance(0.1) ? '*' : rng.chance(0.1) ? '' : digits(rng)}`;
  if (rng.chance(0.05)) s += rng.pick(['l', 'h', 'L']);
  s += positional
    ? rng.pick(['d', 'f', 'x', 'c', 'e'])
    : rng.chance(0.95)
      ? rng.pick([...'diouxXeEfFgGcrsa'.split(''), 's', 's', 'd', 'r'])
      : rng.pick(['%', 'z', 'b', 'é', '\ud83d\ude00', 'y']);
  return s;
}

const SPEC_TYPES = [
  '',
  '',
  '',
  's',
  'd',
  'n',
  'c',
  'b',
  'o',
  'x',
  'X',
  'e',
  'E',
  'f',
  'F',
  'g',
  'G',
  '%',
  'r',
];

function braceSpec(rng: Prng): string {
  let s = '';
  if (rng.chance(0.3)) {
    if (rng.chance(0.5)) s += rng.pick(['*', '0', ' ', 'x', '{', '}', '日', '\ud83d\ude00', '<']);
    s += rng.pick(['<', '>', '^', '=']);
  }
  if (rng.chance(0.2)) s += rng.pick(['+', '-', ' ']);
  if (rng.chance(0.08)) s += 'z';
  if (rng.chance(0.15)) s += '#';
  if (rng.chance(0.25)) s += '0';
  if (rng.chance(0.5)) s += rng.chance(0.05) ? `{${rng.pick(['lineno', 'levelno', 'x'])}}` : digits(rng);
  if (rng.chance(0.15)) s += rng.pick([',', '_', ',_', '_,']);
  if (rng.chance(0.3)) s += `.${rng.chance(0.1) ? '' : digits(rng)}`;
  s += rng.pick(SPEC_TYPES);
  if (rng.chance(0.03)) s += rng.pick(['q', 'ss', '!']);
  return s;
}

function braceField(rng: Prng): string {
  let name = fieldName(rng);
  if (rng.chance(0.1)) name += rng.pick(['.real', '.imag', '.numerator', '.denominator', '.nope']);
  if (rng.chance(0.08)) name += rng.pick(['[0]', '[1]', '[a]', '[}]', '[x]', '[]']);
  if (rng.chance(0.02)) name = rng.pick(['0', '', '1', 'a b', 'x.', 'x..y', 'x[0']);
  let s = `{${name}`;
  if (rng.chance(0.2)) s += `!${rng.chance(0.9) ? rng.pick(['r', 's', 'a']) : rng.pick(['x', '', 'rr'])}`;
  if (rng.chance(0.6)) s += `:${braceSpec(rng)}`;
  return `${s}}`;
}

function dollarField(rng: Prng): string {
  const name = fieldName(rng);
  const r = rng.next();
  if (r < 0.05) return '$';
  if (r < 0.1) return rng.pick(['${', '${}', '$1', '${x']);
  return r < 0.5 ? `\${${name}}` : `$${name}`;
}

const DIRECTIVES = 'aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%EOfqiJLNoQv+';

/** A strftime format: directives with glibc's flags, widths and E/O modifiers, and literal text. */
export function datefmt(rng: Prng): string {
  let s = '';
  const n = rng.int(1, 5);
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.3)) {
      s += rng.chance(0.05) ? '\x00' : text(rng, 2).replace(/%/g, '');
      continue;
    }
    s += '%';
    if (rng.chance(0.2)) s += rng.pick(['_', '-', '0', '^', '#', '^#', '0^']);
    if (rng.chance(0.1)) s += digits(rng);
    if (rng.chance(0.1)) s += rng.pick(['E', 'O']);
    if (rng.chance(0.02)) continue; // a trailing lone '%'
    s += DIRECTIVES[rng.int(0, DIRECTIVES.length - 1)];
  }
  return s;
}

/** A `created` time: now-ish, around DST changes, before 1970, before 1900 and before year 1000. */
function created(rng: Prng): number {
  const r = rng.next();
  if (r < 0.4) return 1.7e9 + rng.next() * 1e8;
  if (r < 0.6) return rng.next() * 2e9 - 1e9;
  if (r < 0.75) return -2.5e9 + rng.next() * 1e9;
  if (r < 0.85) return -6.2e10 + rng.next() * 3e10;
  return rng.int(-5e9, 4e9) + rng.pick([0, 0.5, 0.999, 0.0005]);
}

/**
 * One random formatter case (every style, conversion and spec option, datefmt, values of every kind,
 * sometimes `utc` and `defaults`).
 */
export function formatCase(rng: Prng, id: string): FormatCase {
  const style = rng.pick(['%', '%', '{', '{', '$'] as const);
  let fmt = '';
  const fields = rng.int(1, 4);
  for (let i = 0; i < fields; i++) {
    fmt += literal(rng, style);
    fmt += style === '%' ? percentField(rng) : style === '{' ? braceField(rng) : dollarField(rng);
  }
  fmt += literal(rng, style);
  if (rng.chance(0.05)) fmt = literal(rng, style);
  const t = created(rng);
  const record: Record<string, TaggedValue> = {
    name: rng.chance(0.8) ? rng.pick(['app', 'db.pool', 'root']) : text(rng),
    levelname: rng.pick(['INFO', 'WARNING', 'DEBUG', 'Level 5']),
    levelno: int(rng, BigInt(rng.pick([10, 20, 30, 5, 0]))),
    msg: rng.chance(0.8) ? rng.pick(['hello', 'x=%s', '%d%%', 'a %(k)s']) : text(rng),
    args: { $tuple: [] },
    created: float(rng, t),
    msecs: float(
      rng,
      rng.chance(0.9) ? Math.trunc((t - Math.floor(t)) * 1000) : rng.pick([0.5, 999.9, 12.0]),
    ),
    relativeCreated: float(rng, rng.next() * 1e6),
    lineno: int(rng, BigInt(rng.pick([1, 42, 65, 0x1f600, 1234567]))),
    funcName: '<module>',
    x: value(rng),
    y: value(rng),
  };
  const msg = record.msg as string;
  if (msg.includes('%(k)')) record.args = { k: value(rng) };
  else if (msg.includes('%')) record.args = { $tuple: [value(rng)] };
  if (rng.chance(0.3)) record.z = value(rng);
  return {
    id,
    tz: rng.pick(ZONES),
    fmt,
    datefmt: rng.chance(0.5) ? datefmt(rng) : null,
    style,
    validate: rng.chance(0.7),
    utc: rng.chance(0.1),
    defaults: rng.chance(0.1) ? { nosuch: value(rng), z: value(rng) } : null,
    record,
  };
}

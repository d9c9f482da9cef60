import { loadTzFile, zoneAt } from './tzfile';

/**
 * C `strftime` as glibc runs it in the C locale (what Python's `time.strftime` calls on Linux): C89,
 * POSIX and GNU directives, the `_ - 0 ^ #` flags, a field width and the `E`/`O` modifiers. Unknown
 * directives are copied literally, as glibc does. There is no `%f`.
 */

/** Broken-down time, like C's `struct tm` plus the epoch seconds and zone. */
export interface BrokenDownTime {
  readonly year: number;
  /** 0-11 */
  readonly mon: number;
  readonly mday: number;
  readonly hour: number;
  readonly min: number;
  readonly sec: number;
  /** 0 = Sunday */
  readonly wday: number;
  /** 0-365 */
  readonly yday: number;
  /** Seconds east of UTC. */
  readonly gmtoff: number;
  /** Epoch seconds (whole). */
  readonly epoch: number;
  /** Zone abbreviation (computed lazily, only `%Z` reads it). */
  zone(): string;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysInYear(y: number): number {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365;
}

// ISO 8601 week-based year and week number (glibc's iso_week_days logic).
function isoWeek(tm: BrokenDownTime): { year: number; week: number } {
  const isoDays = (yday: number, wday: number): number => yday - ((yday - wday + 382) % 7) + 3;
  let year = tm.year;
  let days = isoDays(tm.yday, tm.wday);
  if (days < 0) {
    year--;
    days = isoDays(tm.yday + daysInYear(year), tm.wday);
  } else {
    const d = isoDays(tm.yday - daysInYear(year), tm.wday);
    if (d >= 0) {
      year++;
      days = d;
    }
  }
  return { year, week: Math.floor(days / 7) + 1 };
}

type Part = string | ((tm: BrokenDownTime) => string);

/** One conversion's flags as glibc reads them: `_ - 0` padding, `^` upper case, `#` swap case, width. */
interface Flags {
  readonly pad: string; // '', '_', '-', '0'
  readonly upper: boolean;
  readonly changeCase: boolean;
  /** -1 when no width was given. */
  readonly width: number;
}

const encoder = new TextEncoder();

// glibc counts bytes (the format is UTF-8 encoded by Python) and changes the case of ASCII only.
function byteLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length;
}

function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

// glibc's cpy()/add(): case conversion, then padding to the width (zeros with '0', else spaces).
function cpy(s: string, f: Flags, lower = false, upper = f.upper): string {
  const t = lower ? asciiLower(s) : upper ? asciiUpper(s) : s;
  const n = byteLength(t);
  return f.width > n ? (f.pad === '0' ? '0' : ' ').repeat(f.width - n) + t : t;
}

// glibc's DO_NUMBER: at least `d` digits (or the width), zero padded unless '_' (spaces) or '-' (none).
function numberText(value: number, d: number, f: Flags, spacePad = false): string {
  const pad = spacePad && f.pad === '' ? '_' : f.pad;
  const digits = Math.max(d, f.width);
  let buf = String(value);
  let width = f.width;
  let out = '';
  if (pad !== '-') {
    const padding = digits - buf.length;
    if (padding > 0) {
      if (pad === '_') {
        out = ' '.repeat(padding);
        width = width > padding ? width - padding : 0;
      } else {
        if (value < 0) {
          out = '-';
          buf = buf.slice(1);
        }
        out += '0'.repeat(padding);
        width = 0;
      }
    }
  }
  return out + cpy(buf, { ...f, pad, width, upper: false });
}

function num(get: (tm: BrokenDownTime) => number, d: number, f: Flags, spacePad = false): Part {
  return (tm) => numberText(get(tm), d, f, spacePad);
}

function sub(fmt: string, f: Flags): Part {
  const inner = compileStrftime(fmt);
  const plain = { ...f, upper: false };
  return (tm) => {
    const s = cpy(inner(tm), plain);
    return f.upper ? asciiUpper(s) : s;
  };
}

const hour12 = (tm: BrokenDownTime): number => (tm.hour % 12 === 0 ? 12 : tm.hour % 12);

// %z: the sign goes through add() (padded to the width on its own), then DO_NUMBER(4, hhmm).
function tzOffset(f: Flags): Part {
  return (tm) => {
    const off = tm.gmtoff;
    const minutes = Math.floor(Math.abs(off) / 60);
    return cpy(off < 0 ? '-' : '+', f) + numberText(Math.floor(minutes / 60) * 100 + (minutes % 60), 4, f);
  };
}

// Modifiers glibc rejects (the directive is then copied as written): any modifier, E, or O.
const NO_MODIFIER = new Set(['%', 'a', 'A', 'D', 'F']);
const NO_E = new Set([
  'b',
  'h',
  'B',
  'd',
  'e',
  'H',
  'I',
  'k',
  'l',
  'j',
  'M',
  'm',
  'S',
  'U',
  'V',
  'g',
  'G',
  'W',
  'w',
]);
const NO_O = new Set(['c', 'x', 'X', 'Y']);

function directive(c: string, f: Flags): Part | undefined {
  switch (c) {
    case 'a':
      return (tm) => cpy((DAYS[tm.wday] ?? '').slice(0, 3), f, false, f.upper || f.changeCase);
    case 'A':
      return (tm) => cpy(DAYS[tm.wday] ?? '', f, false, f.upper || f.changeCase);
    case 'b':
    case 'h':
      return (tm) => cpy((MONTHS[tm.mon] ?? '').slice(0, 3), f, false, f.upper || f.changeCase);
    case 'B':
      return (tm) => cpy(MONTHS[tm.mon] ?? '', f, false, f.upper || f.changeCase);
    case 'c':
      return sub('%a %b %e %H:%M:%S %Y', f);
    case 'C':
      return num((tm) => Math.trunc(tm.year / 100) - (tm.year % 100 < 0 && tm.year > 0 ? 1 : 0), 1, f);
    case 'd':
      return num((tm) => tm.mday, 2, f);
    case 'D':
    case 'x':
      return sub('%m/%d/%y', f);
    case 'e':
      return num((tm) => tm.mday, 2, f, true);
    case 'F':
      return sub('%Y-%m-%d', f);
    case 'g':
      return num((tm) => ((isoWeek(tm).year % 100) + 100) % 100, 2, f);
    case 'G':
      return num((tm) => isoWeek(tm).year, 1, f);
    case 'H':
      return num((tm) => tm.hour, 2, f);
    case 'I':
      return num(hour12, 2, f);
    case 'j':
      return num((tm) => tm.yday + 1, 3, f);
    case 'k':
      return num((tm) => tm.hour, 2, f, true);
    case 'l':
      return num(hour12, 2, f, true);
    case 'm':
      return num((tm) => tm.mon + 1, 2, f);
    case 'M':
      return num((tm) => tm.min, 2, f);
    case 'n':
      return cpy('\n', f);
    case 'p':
      return (tm) => cpy(tm.hour < 12 ? 'AM' : 'PM', f, f.changeCase, f.upper && !f.changeCase);
    case 'P':
      return (tm) => cpy(tm.hour < 12 ? 'am' : 'pm', f, true);
    case 'r':
      return sub('%I:%M:%S %p', f);
    case 'R':
      return sub('%H:%M', f);
    case 's':
      // glibc pads %s only through cpy(): '%010s' of -5 is '00000000-5'.
      return (tm) => cpy(String(tm.epoch), f, false, false);
    case 'S':
      return num((tm) => tm.sec, 2, f);
    case 't':
      return cpy('\t', f);
    case 'T':
    case 'X':
      return sub('%H:%M:%S', f);
    case 'u':
      return num((tm) => (tm.wday === 0 ? 7 : tm.wday), 1, f);
    case 'U':
      return num((tm) => Math.floor((tm.yday + 7 - tm.wday) / 7), 2, f);
    case 'V':
      return num((tm) => isoWeek(tm).week, 2, f);
    case 'w':
      return num((tm) => tm.wday, 1, f);
    case 'W':
      return num((tm) => Math.floor((tm.yday + 7 - ((tm.wday + 6) % 7)) / 7), 2, f);
    case 'y':
      return num((tm) => ((tm.year % 100) + 100) % 100, 2, f);
    case 'Y':
      return num((tm) => tm.year, 1, f);
    case 'z':
      return tzOffset(f);
    case 'Z':
      return (tm) => cpy(tm.zone(), f, f.changeCase, f.upper && !f.changeCase);
    case '%':
      return cpy('%', f);
    default:
      return undefined;
  }
}

/**
 * Compiles a strftime format once into a function of a broken-down time, with glibc 2.36's rules:
 * flags, widths, which E/O modifiers each directive accepts, and unknown directives copied from their
 * '%' (padded and upper-cased like any other output).
 *
 * @example compileStrftime('%Y-%m-%d')(tm) // '2023-11-14'
 */
export function compileStrftime(fmt: string): (tm: BrokenDownTime) => string {
  const parts: Part[] = [];
  let lit = '';
  const n = fmt.length;
  let i = 0;
  while (i < n) {
    const c = fmt[i] ?? '';
    if (c !== '%') {
      lit += c;
      i++;
      continue;
    }
    i++;
    let pad = '';
    let upper = false;
    let changeCase = false;
    for (; i < n; i++) {
      const fc = fmt[i];
      if (fc === '_' || fc === '-' || fc === '0') pad = fc;
      else if (fc === '^') upper = true;
      else if (fc === '#') changeCase = true;
      else break;
    }
    let width = -1;
    if (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) {
      width = 0;
      while (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) {
        width = Math.min(2147483647, width * 10 + fmt.charCodeAt(i) - 48);
        i++;
      }
    }
    let modifier = '';
    if (fmt[i] === 'E' || fmt[i] === 'O') modifier = fmt[i++] ?? '';
    const flags: Flags = { pad, upper, changeCase, width };
    const d = i < n ? String.fromCodePoint(fmt.codePointAt(i) ?? 0) : '';
    const rejected =
      modifier !== '' && (NO_MODIFIER.has(d) || (modifier === 'E' ? NO_E.has(d) : NO_O.has(d)));
    const part = d !== '' && !rejected ? directive(d, flags) : undefined;
    let out: Part;
    if (part === undefined) {
      // bad_format: copy from the nearest '%' at or before the directive character (so '%E%' gives
      // '%'); at the end of the format, everything from the last '%'.
      // glibc works on UTF-8 bytes: it copies up to the first byte of a multi-byte character (the
      // rest follows as literal text), so only that much counts toward the width.
      const end = d === '' ? n : i + d.length;
      const from = d === '%' ? i : fmt.lastIndexOf('%', end - 1);
      const copied = fmt.slice(from, end);
      const shown = upper ? asciiUpper(copied) : copied;
      const counted = byteLength(copied) - (d === '' ? 0 : byteLength(d) - 1);
      out = width > counted ? (pad === '0' ? '0' : ' ').repeat(width - counted) + shown : shown;
      i = end;
    } else {
      out = part;
      i += d.length;
    }
    if (typeof out === 'string') {
      lit += out;
      continue;
    }
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(out);
  }
  if (lit !== '') parts.push(lit);
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const only = parts[0];
    if (typeof only === 'string') return () => only;
    if (only !== undefined) return only;
  }
  return (tm) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(tm);
    return out;
  };
}

let zoneFormatter: Intl.DateTimeFormat | undefined;
let zoneFormatterTz: string | undefined;

function intlZoneName(date: Date): string {
  // Node re-reads TZ when process.env.TZ is assigned; rebuild the Intl formatter when it changed.
  const tz = process.env.TZ;
  if (zoneFormatter === undefined || zoneFormatterTz !== tz) {
    zoneFormatter = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    zoneFormatterTz = tz;
  }
  return zoneFormatter.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

function fromUtcFields(d: Date, epoch: number, gmtoff: number, zone: () => string): BrokenDownTime {
  const year = d.getUTCFullYear();
  return {
    year,
    mon: d.getUTCMonth(),
    mday: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    wday: d.getUTCDay(),
    yday: Math.round((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000),
    gmtoff,
    epoch,
    zone,
  };
}

/**
 * Python's `time.localtime(secs)` (or `time.gmtime` when `utc`) as a {@link BrokenDownTime}.
 * `secs` is floored to the whole second, as Python does (-1.5 is 23:59:58). Local time is read from
 * the TZif file glibc reads for `TZ` (offsets, LMT and abbreviations such as KST or EST before 1970);
 * without one, from the engine's time zone data.
 */
export function brokenDownTime(secs: number, utc: boolean): BrokenDownTime {
  const epoch = Math.floor(secs);
  const d = new Date(epoch * 1000);
  if (utc) return fromUtcFields(d, epoch, 0, () => 'GMT');
  const file = loadTzFile(process.env.TZ);
  if (file !== undefined) {
    const at = zoneAt(file, epoch, () => -d.getTimezoneOffset() * 60);
    return fromUtcFields(new Date((epoch + at.utoff) * 1000), epoch, at.utoff, () => at.abbr);
  }
  const year = d.getFullYear();
  const mon = d.getMonth();
  const mday = d.getDate();
  return {
    year,
    mon,
    mday,
    hour: d.getHours(),
    min: d.getMinutes(),
    sec: d.getSeconds(),
    wday: d.getDay(),
    yday: Math.round((Date.UTC(year, mon, mday) - Date.UTC(year, 0, 1)) / 86400000),
    gmtoff: -d.getTimezoneOffset() * 60,
    epoch,
    zone: () => intlZoneName(d),
  };
}

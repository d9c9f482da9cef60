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

interface Flags {
  readonly pad: string; // '', '_', '-', '0'
  readonly upper: boolean;
  readonly swap: boolean;
  readonly width: number;
}

function padWidth(s: string, f: Flags): string {
  if (f.width <= s.length) return s;
  return (f.pad === '0' ? '0' : ' ').repeat(f.width - s.length) + s;
}

// A numeric field: natural width `digits`, padded with zeros unless a flag or the directive says spaces.
function num(get: (tm: BrokenDownTime) => number, digits: number, f: Flags, spaceDefault = false): Part {
  const padChar = f.pad === '' ? (spaceDefault ? '_' : '0') : f.pad;
  return (tm) => {
    const v = get(tm);
    const neg = v < 0;
    let s = String(neg ? -v : v);
    if (padChar !== '-' && s.length < digits) s = (padChar === '_' ? ' ' : '0').repeat(digits - s.length) + s;
    if (neg) s = `-${s}`;
    if (f.width > s.length) s = (padChar === '0' ? '0' : ' ').repeat(f.width - s.length) + s;
    return s;
  };
}

function text(get: (tm: BrokenDownTime) => string, f: Flags, swapLower = false): Part {
  return (tm) => {
    let s = get(tm);
    if (f.swap) s = swapLower ? s.toLowerCase() : s.toUpperCase();
    else if (f.upper) s = s.toUpperCase();
    return padWidth(s, f);
  };
}

function sub(fmt: string, f: Flags): Part {
  const inner = compileStrftime(fmt);
  return (tm) => {
    let s = inner(tm);
    if (f.upper) s = s.toUpperCase();
    return padWidth(s, f);
  };
}

const hour12 = (tm: BrokenDownTime): number => (tm.hour % 12 === 0 ? 12 : tm.hour % 12);

function tzOffset(tm: BrokenDownTime): string {
  const off = tm.gmtoff;
  const a = Math.abs(off);
  const hh = Math.floor(a / 3600);
  const mm = Math.floor((a % 3600) / 60);
  return `${off < 0 ? '-' : '+'}${String(hh).padStart(2, '0')}${String(mm).padStart(2, '0')}`;
}

function directive(c: string, f: Flags): Part | undefined {
  switch (c) {
    case 'a':
      return text((tm) => (DAYS[tm.wday] ?? '').slice(0, 3), f);
    case 'A':
      return text((tm) => DAYS[tm.wday] ?? '', f);
    case 'b':
    case 'h':
      return text((tm) => (MONTHS[tm.mon] ?? '').slice(0, 3), f);
    case 'B':
      return text((tm) => MONTHS[tm.mon] ?? '', f);
    case 'c':
      return sub('%a %b %e %H:%M:%S %Y', f);
    case 'C':
      return num((tm) => Math.floor(tm.year / 100), 2, f);
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
      return padWidth('\n', f);
    case 'p':
      return text((tm) => (tm.hour < 12 ? 'AM' : 'PM'), f, true);
    case 'P':
      // glibc: %P is already lower case and ignores '^'.
      return text((tm) => (tm.hour < 12 ? 'am' : 'pm'), { ...f, upper: false, swap: false });
    case 'r':
      return sub('%I:%M:%S %p', f);
    case 'R':
      return sub('%H:%M', f);
    case 's':
      return num((tm) => tm.epoch, 1, f.pad === '' ? { ...f, pad: '_' } : f);
    case 'S':
      return num((tm) => tm.sec, 2, f);
    case 't':
      return padWidth('\t', f);
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
      return text(tzOffset, f);
    case 'Z':
      return text((tm) => tm.zone(), f, true);
    case '%':
      return padWidth('%', f);
    default:
      return undefined;
  }
}

const ALLOWED_E = new Set(['c', 'C', 'x', 'X', 'y', 'Y']);
const ALLOWED_O = new Set(['d', 'e', 'H', 'I', 'm', 'M', 'S', 'u', 'U', 'V', 'w', 'W', 'y']);

/**
 * Compiles a strftime format once into a function of a broken-down time.
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
    const start = i;
    i++;
    let pad = '';
    let upper = false;
    let swap = false;
    for (; i < n; i++) {
      const fc = fmt[i];
      if (fc === '_' || fc === '-' || fc === '0') pad = fc;
      else if (fc === '^') upper = true;
      else if (fc === '#') swap = true;
      else break;
    }
    let width = 0;
    while (i < n && fmt.charCodeAt(i) >= 48 && fmt.charCodeAt(i) <= 57) {
      width = width * 10 + fmt.charCodeAt(i) - 48;
      i++;
    }
    let modifier = '';
    if (fmt[i] === 'E' || fmt[i] === 'O') modifier = fmt[i++] ?? '';
    const flags: Flags = { pad, upper, swap, width };
    const d = i < n ? (fmt[i] ?? '') : '';
    const okModifier = modifier === '' || (modifier === 'E' ? ALLOWED_E.has(d) : ALLOWED_O.has(d));
    const part = d !== '' && okModifier ? directive(d, flags) : undefined;
    if (part === undefined) {
      // glibc copies an unknown directive as written (padded to the width, if one was given).
      const end = d === '' ? n : i + 1;
      lit += padWidth(fmt.slice(start, end), { pad: '', upper: false, swap: false, width });
      i = end;
      continue;
    }
    i++;
    if (typeof part === 'string') {
      lit += part;
      continue;
    }
    if (lit !== '') parts.push(lit);
    lit = '';
    parts.push(part);
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

function localZoneName(date: Date): string {
  // Node re-reads TZ when process.env.TZ is assigned; rebuild the Intl formatter when it changed.
  const tz = process.env.TZ;
  if (zoneFormatter === undefined || zoneFormatterTz !== tz) {
    zoneFormatter = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
    zoneFormatterTz = tz;
  }
  return zoneFormatter.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/**
 * Python's `time.localtime(secs)` (or `time.gmtime` when `utc`) as a {@link BrokenDownTime}.
 * `secs` is floored to the whole second, as Python does (-1.5 is 23:59:58).
 */
export function brokenDownTime(secs: number, utc: boolean): BrokenDownTime {
  const epoch = Math.floor(secs);
  const d = new Date(epoch * 1000);
  if (utc) {
    const year = d.getUTCFullYear();
    return {
      year,
      mon: d.getUTCMonth(),
      mday: d.getUTCDate(),
      hour: d.getUTCHours(),
      min: d.getUTCMinutes(),
      sec: d.getUTCSeconds(),
      wday: d.getUTCDay(),
      yday: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86400000),
      gmtoff: 0,
      epoch,
      zone: () => 'GMT',
    };
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
    zone: () => localZoneName(d),
  };
}

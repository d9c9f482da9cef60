import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** One local time type of a TZif file (`ttinfo`). */
interface LocalTimeType {
  readonly utoff: number;
  readonly isdst: boolean;
  readonly abbr: string;
}

/** A parsed TZif file: what glibc's `localtime` reads for TZ (transitions, types, POSIX footer). */
export interface TzFile {
  readonly transitions: readonly number[];
  readonly typeIndex: readonly number[];
  readonly types: readonly LocalTimeType[];
  /** Standard and daylight names and standard offset of the footer's POSIX TZ string, if any. */
  readonly footer?: { readonly std: string; readonly stdOffset: number; readonly dst?: string };
}

/** The offset and zone abbreviation in effect at an instant. */
export interface ZoneAt {
  readonly utoff: number;
  readonly abbr: string;
}

function parse(buf: Buffer): TzFile | undefined {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = buf[4] ?? 0;
  // Header counts: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
  const counts = (from: number): number[] =>
    [0, 1, 2, 3, 4, 5].map((k) => buf.readUInt32BE(from + 20 + k * 4));
  let at = 0;
  let c = counts(0);
  const size = (cs: number[], t: number): number =>
    (cs[3] ?? 0) * t +
    (cs[3] ?? 0) +
    (cs[4] ?? 0) * 6 +
    (cs[5] ?? 0) +
    (cs[2] ?? 0) * (t + 4) +
    (cs[1] ?? 0) +
    (cs[0] ?? 0);
  let timeSize = 4;
  if (version >= 0x32) {
    // Skip the 32-bit block; the 64-bit block follows with its own header.
    at = 44 + size(c, 4);
    c = counts(at);
    timeSize = 8;
  }
  const [isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0] = c;
  let p = at + 44;
  const transitions: number[] = [];
  for (let i = 0; i < timecnt; i++, p += timeSize) {
    transitions.push(timeSize === 8 ? Number(buf.readBigInt64BE(p)) : buf.readInt32BE(p));
  }
  const typeIndex: number[] = [];
  for (let i = 0; i < timecnt; i++) typeIndex.push(buf[p++] ?? 0);
  const raw: Array<{ utoff: number; isdst: boolean; idx: number }> = [];
  for (let i = 0; i < typecnt; i++, p += 6) {
    raw.push({ utoff: buf.readInt32BE(p), isdst: buf[p + 4] === 1, idx: buf[p + 5] ?? 0 });
  }
  const chars = buf.toString('latin1', p, p + charcnt);
  p += charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  const types = raw.map((t) => ({
    utoff: t.utoff,
    isdst: t.isdst,
    abbr: chars.slice(t.idx, chars.indexOf('\0', t.idx)),
  }));
  const file: TzFile = { transitions, typeIndex, types };
  if (timeSize === 8 && buf[p] === 0x0a) {
    const end = buf.indexOf(0x0a, p + 1);
    const footer = parseFooter(buf.toString('latin1', p + 1, end < 0 ? buf.length : end));
    if (footer !== undefined) return { ...file, footer };
  }
  return file;
}

// The std name, std offset and dst name of a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0", "<+0530>-5:30").
function parseFooter(s: string): TzFile['footer'] {
  const name = /^(<[^>]*>|[A-Za-z]{3,})/;
  const m1 = name.exec(s);
  if (m1 === null) return undefined;
  const std = m1[1]?.replace(/^<|>$/g, '') ?? '';
  const rest = s.slice(m1[0].length);
  const off = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(rest);
  if (off === null) return undefined;
  const secs = Number(off[2]) * 3600 + Number(off[3] ?? 0) * 60 + Number(off[4] ?? 0);
  // POSIX offsets are west of Greenwich: "EST5" is UTC-5.
  const stdOffset = off[1] === '-' ? secs : -secs;
  const m2 = name.exec(rest.slice(off[0].length));
  const dst = m2?.[1]?.replace(/^<|>$/g, '');
  return dst === undefined ? { std, stdOffset } : { std, stdOffset, dst };
}

const cache = new Map<string, TzFile | null>();

function pathFor(tz: string | undefined): string | undefined {
  if (tz === undefined) return '/etc/localtime';
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  if (name === '') return undefined;
  if (isAbsolute(name)) return name;
  if (name.includes('..')) return undefined;
  return join(process.env.TZDIR ?? '/usr/share/zoneinfo', name);
}

/** The TZif file glibc would read for `TZ` (unset: /etc/localtime), or undefined when there is none. */
export function loadTzFile(tz: string | undefined): TzFile | undefined {
  const key = tz ?? '\0unset';
  let file = cache.get(key);
  if (file === undefined) {
    file = null;
    const path = pathFor(tz);
    if (path !== undefined) {
      try {
        file = parse(readFileSync(path)) ?? null;
      } catch {
        file = null;
      }
    }
    cache.set(key, file);
  }
  return file ?? undefined;
}

/**
 * glibc's `__tzfile_compute`: the type in effect at `epoch`. Before the first transition it is the
 * first standard-time type; after the last one the footer applies (its names; the offset is taken
 * from `fallbackOffset`, the engine's own offset for that instant, to pick standard or daylight).
 */
export function zoneAt(file: TzFile, epoch: number, fallbackOffset: () => number): ZoneAt {
  const { transitions, types } = file;
  const n = transitions.length;
  if (n === 0 || epoch < (transitions[0] ?? 0)) {
    const first = types.find((t) => !t.isdst) ?? types[0];
    return { utoff: first?.utoff ?? 0, abbr: first?.abbr ?? 'UTC' };
  }
  if (epoch >= (transitions[n - 1] ?? 0) && file.footer !== undefined) {
    const utoff = fallbackOffset();
    const f = file.footer;
    return { utoff, abbr: utoff === f.stdOffset || f.dst === undefined ? f.std : f.dst };
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((transitions[mid] ?? 0) <= epoch) lo = mid;
    else hi = mid - 1;
  }
  const t = types[file.typeIndex[lo] ?? 0];
  return { utoff: t?.utoff ?? 0, abbr: t?.abbr ?? '' };
}

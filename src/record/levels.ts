import { format } from 'logform';
import { pyRepr } from '../../formats/python/py-repr';
import { ConfigError, describeValue } from '../errors';

/** Python's standard level numbers (`logging.CRITICAL` … `logging.NOTSET`). */
export const LEVELS = Object.freeze({
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARNING: 30,
  WARN: 30,
  INFO: 20,
  HTTP: 17,
  VERBOSE: 15,
  DEBUG: 10,
  SILLY: 5,
  NOTSET: 0,
});

/**
 * A level given by name (`'info'`, `'WARNING'`, `'warn'`: lower or upper case) or by Python number (`20`, `25`).
 * The names are the known ones, so an editor completes them and a typo (`'warnig'`) does not compile; a level
 * added with {@link addLevelName} is given by its number here (`setLevel(25)`), or by name through a cast.
 */
export type LevelLike =
  | 'critical'
  | 'fatal'
  | 'error'
  | 'warning'
  | 'warn'
  | 'info'
  | 'http'
  | 'verbose'
  | 'debug'
  | 'silly'
  | 'notset'
  | 'CRITICAL'
  | 'FATAL'
  | 'ERROR'
  | 'WARNING'
  | 'WARN'
  | 'INFO'
  | 'HTTP'
  | 'VERBOSE'
  | 'DEBUG'
  | 'SILLY'
  | 'NOTSET'
  | number;

/** What a record's level renders as: Python's `levelno` and `levelname`. */
export interface LevelInfo {
  readonly levelno: number;
  readonly levelname: string;
}

// levelno -> canonical upper-case name, like logging._levelToName.
const levelToName = new Map<number, string>([
  [50, 'CRITICAL'],
  [40, 'ERROR'],
  [30, 'WARNING'],
  [20, 'INFO'],
  [10, 'DEBUG'],
  [0, 'NOTSET'],
]);
// winston's npm names are levels of the bundle's loggers, but their numbers keep Python's names:
// `log.verbose()` renders VERBOSE, while `log.log(15, …)` renders `Level 15` as CPython does.
const NPM_NAMES = new Map<string, string>([
  ['http', 'HTTP'],
  ['verbose', 'VERBOSE'],
  ['silly', 'SILLY'],
]);
// lower-case name or alias -> levelno, like logging._nameToLevel but case-insensitive.
const nameToLevel = new Map<string, number>([
  ['critical', 50],
  ['fatal', 50],
  ['error', 40],
  ['warning', 30],
  ['warn', 30],
  ['info', 20],
  ['http', 17],
  ['verbose', 15],
  ['debug', 10],
  ['silly', 5],
  ['notset', 0],
]);

// Exact names, like logging._nameToLevel (case-sensitive): what compatibility mode accepts.
const exactNames = new Map<string, number>([
  ['CRITICAL', 50],
  ['FATAL', 50],
  ['ERROR', 40],
  ['WARN', 30],
  ['WARNING', 30],
  ['INFO', 20],
  ['DEBUG', 10],
  ['NOTSET', 0],
]);

/**
 * winston's syslog level names, mapped to the nearest Python number so that a record from a plain
 * winston logger with syslog levels still renders a sensible `levelname`/`levelno`. (winston's npm
 * names `http`, `verbose` and `silly` are real levels of the bundle: HTTP 17, VERBOSE 15, SILLY 5.)
 */
const WINSTON_NAMES: ReadonlyArray<readonly [string, number, string]> = [
  ['emerg', 50, 'EMERG'],
  ['alert', 50, 'ALERT'],
  ['crit', 50, 'CRIT'],
  ['notice', 25, 'NOTICE'],
];

/**
 * The bundle's level table in winston's shape (`{ name: priority }`, lower = more severe). One shared,
 * mutable object: every logger and transport built by the bundle points at it, so a level added with
 * {@link addLevelName} is known to all of them at once. Priority is `100 - levelno`.
 */
export const WINSTON_LEVELS: Record<string, number> = {
  critical: 50,
  fatal: 50,
  error: 60,
  warning: 70,
  warn: 70,
  info: 80,
  http: 83,
  verbose: 85,
  debug: 90,
  silly: 95,
  notset: 100,
};

/**
 * levelno by the two usual spellings of the standard names (`'DEBUG'`, `'debug'`), for the guards' hot
 * path (`isEnabledFor('DEBUG')`): reading an object with the call site's constant key is one cached load
 * in V8, where a Map lookup hashes the string. Written as a literal so that V8 keeps it in fast mode
 * (an object filled by a loop of keyed stores becomes a hash table past a dozen keys); names added by
 * {@link addLevelName} go through {@link toLevelNo}, and one that renames a standard level updates it.
 */
const SPELLINGS: Record<string, number> = {
  critical: 50,
  CRITICAL: 50,
  fatal: 50,
  FATAL: 50,
  error: 40,
  ERROR: 40,
  warning: 30,
  WARNING: 30,
  warn: 30,
  WARN: 30,
  info: 20,
  INFO: 20,
  http: 17,
  HTTP: 17,
  verbose: 15,
  VERBOSE: 15,
  debug: 10,
  DEBUG: 10,
  silly: 5,
  SILLY: 5,
  notset: 0,
  NOTSET: 0,
};

const infoCache = new Map<string, LevelInfo>();
const spellingCache = new Map<string, number>();

/**
 * Python's `logging.addLevelName(levelno, name)`: registers a custom level so that records at that
 * number render `name`, and `name` (any case) can be used wherever a level is accepted.
 *
 * @example addLevelName(25, 'NOTICE'); log.log('notice', 'disk at %d%%', 91);
 */
export function addLevelName(levelno: number, name: string): void {
  if (!Number.isInteger(levelno) || levelno < 0) {
    throw new ConfigError(
      `addLevelName: levelno ${describeValue(levelno)} is not allowed; use an integer >= 0`,
    );
  }
  // CPython takes any string ('MY LEVEL' included); an empty one could not be named again.
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(`addLevelName: name ${describeValue(name)} is not allowed; use a non-empty string`);
  }
  const lower = name.toLowerCase();
  if (lower === 'log')
    throw new ConfigError(`addLevelName: name "log" is not allowed; it would shadow logger.log()`);
  levelToName.set(levelno, name);
  nameToLevel.set(lower, levelno);
  exactNames.set(name, levelno);
  WINSTON_LEVELS[lower] = 100 - levelno;
  if (Object.prototype.hasOwnProperty.call(SPELLINGS, lower)) {
    SPELLINGS[lower] = levelno;
    SPELLINGS[lower.toUpperCase()] = levelno;
  }
  infoCache.clear();
  spellingCache.clear();
  registerLevelColors();
}

/**
 * Python's `logging.getLevelName`: the name of a number (`'Level 25'` when none is registered), or the
 * number of a registered name (`'Level NOTICE'` when unknown). Names are matched in any case.
 */
export function getLevelName(level: number | string): string | number {
  if (typeof level === 'number') return levelToName.get(level) ?? `Level ${level}`;
  const n = nameToLevel.get(level.toLowerCase());
  return n ?? `Level ${level}`;
}

/**
 * Resolves a level name (any case, aliases `warn`/`fatal`, custom names) or a number to Python's
 * levelno. Throws {@link ConfigError} naming `path`, the value and what is allowed.
 */
export function toLevelNo(level: unknown, path = 'level'): number {
  // A bool is an int in Python: setLevel(True) is level 1.
  if (typeof level === 'boolean') return level ? 1 : 0;
  if (typeof level === 'number') {
    if (Number.isInteger(level) && level >= 0) return level;
  } else if (typeof level === 'string') {
    // The spelling as given ('DEBUG', 'info') is cached, so a guard like isEnabledFor('DEBUG') parses nothing.
    const hit = spellingCache.get(level);
    if (hit !== undefined) return hit;
    const n = nameToLevel.get(level.trim().toLowerCase());
    if (n !== undefined) {
      if (spellingCache.size < 1000) spellingCache.set(level, n);
      return n;
    }
    if (/^\d+$/.test(level.trim())) return Number(level.trim());
  }
  throw new ConfigError(
    `${path}: ${describeValue(level)} is not a level; use one of ${[...nameToLevel.keys()].join(', ')} (any case) or an integer >= 0`,
  );
}

/**
 * {@link toLevelNo} for the level checks: a known name in upper or lower case is one object read; any
 * other value (another case, a number as text, a bad level) is resolved, or refused, by `toLevelNo`.
 */
export function levelNoOf(level: unknown, path?: string): number {
  if (typeof level === 'string') {
    const n = SPELLINGS[level];
    // Object.prototype's names ('constructor', 'toString') read as functions, never as numbers.
    if (typeof n === 'number') return n;
  }
  return toLevelNo(level, path);
}

/** The lower-case level name winston uses for a levelno: registered name, else `level <n>` is registered on the fly. */
export function winstonLevelName(levelno: number): string {
  const name = levelToName.get(levelno);
  if (name !== undefined) return name.toLowerCase();
  // An unnamed number (Python renders `Level 25`): give winston a key it can compare.
  const key = `level ${levelno}`;
  if (WINSTON_LEVELS[key] === undefined) {
    WINSTON_LEVELS[key] = 100 - levelno;
    registerLevelColors();
  }
  return key;
}

/**
 * Whether a level name means something to the bundle: a Python level or alias, a name registered with
 * {@link addLevelName}, a `level <n>` key, or one of winston's syslog names.
 */
export function isKnownLevel(level: string): boolean {
  const lower = level.toLowerCase();
  return (
    nameToLevel.has(lower) ||
    (lower.startsWith('level ') && /^\d+$/.test(lower.slice(6))) ||
    WINSTON_NAMES.some(([name]) => name === lower)
  );
}

/**
 * Maps the level string carried by a winston `info` (`info[LEVEL]` / `info.level`) to Python's
 * `levelno`/`levelname`. Python names and aliases render canonically (`warn` → `WARNING`); winston's
 * npm and syslog names render as documented in the README; anything else renders upper-cased at 0.
 */
export function levelInfo(level: string): LevelInfo {
  const hit = infoCache.get(level);
  if (hit !== undefined) return hit;
  let info: LevelInfo;
  const lower = level.toLowerCase();
  const n = nameToLevel.get(lower);
  if (n !== undefined) {
    info = { levelno: n, levelname: levelToName.get(n) ?? NPM_NAMES.get(lower) ?? `Level ${n}` };
  } else if (lower.startsWith('level ') && /^\d+$/.test(lower.slice(6))) {
    const num = Number(lower.slice(6));
    info = { levelno: num, levelname: levelToName.get(num) ?? `Level ${num}` };
  } else {
    const w = WINSTON_NAMES.find(([name]) => name === lower);
    info = w ? { levelno: w[1], levelname: w[2] } : { levelno: 0, levelname: level.toUpperCase() };
  }
  infoCache.set(level, info);
  return info;
}

/**
 * CPython's `logging._checkLevel`, used in Python compatibility mode: an integer, or a registered name
 * spelled exactly as registered (`'INFO'`, `'WARN'`; `'info'` is rejected, as CPython rejects it).
 */
export function checkLevelStrict(level: unknown): number {
  if (typeof level === 'number' && Number.isInteger(level)) return level;
  if (typeof level === 'boolean') return level ? 1 : 0;
  if (typeof level === 'string') {
    const n = exactNames.get(level);
    if (n !== undefined) return n;
    throw new ConfigError(`Unknown level: ${pyRepr(level)}`);
  }
  throw new ConfigError(`Level not an integer or a valid string: ${pyRepr(level)}`);
}

/**
 * logform's colour for each level (winston's npm colours, Python's extra names beside them), so that
 * `colorize()` works on every level a bundle logger can emit; a level added later gets `white`.
 */
const LEVEL_COLORS: Readonly<Record<string, string>> = {
  critical: 'bold red',
  fatal: 'bold red',
  error: 'red',
  warning: 'yellow',
  warn: 'yellow',
  info: 'green',
  http: 'green',
  verbose: 'cyan',
  debug: 'blue',
  silly: 'magenta',
  notset: 'gray',
};

/** The free level number nearest to `target` within [min, max] (beyond max when all are taken). */
function freeNear(target: number, min: number, max: number, taken: ReadonlySet<number>): number {
  for (let d = 0; d <= max - min; d++) {
    if (target - d >= min && !taken.has(target - d)) return target - d;
    if (target + d <= max && !taken.has(target + d)) return target + d;
  }
  let n = Math.max(max, min) + 1;
  while (taken.has(n)) n++;
  return n;
}

interface ColorizerClass {
  allColors?: Record<string, unknown>;
  addColors(colors: Record<string, string>): unknown;
}

/** Registers a colour with logform for every level name the bundle knows that has none yet. */
export function registerLevelColors(): void {
  // logform exposes its Colorizer class on the colorize factory; allColors is the shared table.
  const Colorizer = (format.colorize as unknown as { Colorizer: ColorizerClass }).Colorizer;
  const known = Colorizer.allColors ?? {};
  const missing: Record<string, string> = {};
  for (const name of Object.keys(WINSTON_LEVELS)) {
    if (known[name] === undefined) missing[name] = LEVEL_COLORS[name] ?? 'white';
  }
  if (Object.keys(missing).length > 0) Colorizer.addColors(missing);
}

/**
 * Turns a winston `levels` table (`{ name: priority }`, lower = more severe) into Python levels, as
 * `addLevelName` does: a name the bundle already knows keeps its number; an unknown name gets a number
 * between the numbers of its nearest known neighbours in winston's order (or 5 beyond the ends), so
 * winston's order is kept. Returns the name → levelno map. Throws a ConfigError naming a bad entry.
 */
export function adoptWinstonLevels(levels: unknown, path = 'levels'): Map<string, number> {
  if (levels === null || typeof levels !== 'object' || Array.isArray(levels)) {
    throw new ConfigError(
      `${path}: ${describeValue(levels)} is not allowed; use winston's { name: priority } table, e.g. { error: 0, warn: 1, info: 2 }`,
    );
  }
  const entries = Object.entries(levels as Record<string, unknown>);
  for (const [name, priority] of entries) {
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
      throw new ConfigError(
        `${path}.${name}: ${describeValue(priority)} is not allowed; use an integer priority >= 0 (lower = more severe)`,
      );
    }
  }
  // Most severe first; known names are anchors, unknown names are spread between them on numbers that
  // have no name yet (a new name never renames CRITICAL or another existing level).
  const ordered = entries.sort((a, b) => (a[1] as number) - (b[1] as number)).map(([name]) => name);
  const out = new Map<string, number>();
  const known = ordered.map((name) => nameToLevel.get(name.toLowerCase()));
  const taken = new Set<number>([...levelToName.keys(), ...nameToLevel.values()]);
  for (let i = 0; i < ordered.length; i++) {
    const name = ordered[i] as string;
    const own = known[i];
    if (own !== undefined) {
      out.set(name, own);
      continue;
    }
    let hi: number | undefined; // nearest more severe number already placed
    for (let j = i - 1; j >= 0 && hi === undefined; j--) hi = out.get(ordered[j] as string);
    let lo: number | undefined; // nearest less severe known number, `gap` places further down
    let gap = 1;
    for (let j = i + 1; j < ordered.length; j++) {
      lo = known[j];
      if (lo !== undefined) {
        gap = j - i;
        break;
      }
    }
    const min = lo !== undefined ? lo + 1 : 1;
    const max = hi !== undefined ? hi - 1 : 1000;
    const target =
      hi !== undefined && lo !== undefined
        ? Math.floor(hi - (hi - lo) / (gap + 1))
        : hi !== undefined
          ? hi - 5
          : lo !== undefined
            ? lo + 5 * gap
            : 20 + 5 * (ordered.length - 1 - i);
    const levelno = freeNear(Math.min(max, Math.max(min, target)), min, max, taken);
    taken.add(levelno);
    addLevelName(levelno, name.toUpperCase());
    out.set(name, levelno);
  }
  registerLevelColors();
  return out;
}

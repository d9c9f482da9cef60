import { ConfigError, describeValue } from '../errors';

/** Python's standard level numbers (`logging.CRITICAL` … `logging.NOTSET`). */
export const LEVELS = Object.freeze({
  CRITICAL: 50,
  FATAL: 50,
  ERROR: 40,
  WARNING: 30,
  WARN: 30,
  INFO: 20,
  DEBUG: 10,
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
  | 'debug'
  | 'notset'
  | 'CRITICAL'
  | 'FATAL'
  | 'ERROR'
  | 'WARNING'
  | 'WARN'
  | 'INFO'
  | 'DEBUG'
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
// lower-case name or alias -> levelno, like logging._nameToLevel but case-insensitive.
const nameToLevel = new Map<string, number>([
  ['critical', 50],
  ['fatal', 50],
  ['error', 40],
  ['warning', 30],
  ['warn', 30],
  ['info', 20],
  ['debug', 10],
  ['notset', 0],
]);

/**
 * winston's npm and syslog level names, mapped to the nearest Python number so that a record from a
 * plain winston logger still renders a sensible `levelname`/`levelno`. Python names win where both
 * sets share a name (`error`, `warn`, `info`, `debug`).
 */
const WINSTON_NAMES: ReadonlyArray<readonly [string, number, string]> = [
  ['http', 15, 'HTTP'],
  ['verbose', 15, 'VERBOSE'],
  ['silly', 5, 'SILLY'],
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
  debug: 90,
  notset: 100,
};

const infoCache = new Map<string, LevelInfo>();

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
  if (typeof name !== 'string' || !/^[A-Za-z_][\w-]*$/.test(name)) {
    throw new ConfigError(
      `addLevelName: name ${describeValue(name)} is not allowed; use letters, digits, '_' or '-', starting with a letter`,
    );
  }
  const lower = name.toLowerCase();
  if (lower === 'log')
    throw new ConfigError(`addLevelName: name "log" is not allowed; it would shadow logger.log()`);
  levelToName.set(levelno, name);
  nameToLevel.set(lower, levelno);
  WINSTON_LEVELS[lower] = 100 - levelno;
  infoCache.clear();
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
  if (typeof level === 'number') {
    if (Number.isInteger(level) && level >= 0) return level;
  } else if (typeof level === 'string') {
    const n = nameToLevel.get(level.trim().toLowerCase());
    if (n !== undefined) return n;
    if (/^\d+$/.test(level.trim())) return Number(level.trim());
  }
  throw new ConfigError(
    `${path}: ${describeValue(level)} is not a level; use one of ${[...nameToLevel.keys()].join(', ')} (any case) or an integer >= 0`,
  );
}

/** The lower-case level name winston uses for a levelno: registered name, else `level <n>` is registered on the fly. */
export function winstonLevelName(levelno: number): string {
  const name = levelToName.get(levelno);
  if (name !== undefined) return name.toLowerCase();
  // An unnamed number (Python renders `Level 25`): give winston a key it can compare.
  const key = `level ${levelno}`;
  if (WINSTON_LEVELS[key] === undefined) WINSTON_LEVELS[key] = 100 - levelno;
  return key;
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
    info = { levelno: n, levelname: levelToName.get(n) ?? `Level ${n}` };
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
  if (typeof level === 'string') {
    const n = nameToLevel.get(level.toLowerCase());
    const canonical = n === undefined ? undefined : levelToName.get(n);
    if (n !== undefined && (canonical === level || level === level.toUpperCase())) return n;
    throw new ConfigError(`Unknown level: '${level}'`);
  }
  throw new ConfigError(`Level not an integer or a valid string: ${describeValue(level)}`);
}

import {
  LEVELS,
  WINSTON_LEVELS,
  addLevelName,
  checkLevelStrict,
  getLevelName,
  levelInfo,
  levelNoOf,
  toLevelNo,
  winstonLevelName,
} from '../../../src/record/levels';
import { ConfigError } from '../../../src/errors';

describe('levels', () => {
  it('has Python numbers and aliases', () => {
    expect(LEVELS).toMatchObject({
      CRITICAL: 50,
      FATAL: 50,
      ERROR: 40,
      WARNING: 30,
      WARN: 30,
      INFO: 20,
      DEBUG: 10,
      NOTSET: 0,
    });
  });

  it.each([
    ['info', 20],
    ['INFO', 20],
    ['Warning', 30],
    ['warn', 30],
    ['fatal', 50],
    ['critical', 50],
    ['notset', 0],
    [25, 25],
    ['15', 15],
  ])('toLevelNo(%p) is %p', (input, expected) => {
    expect(toLevelNo(input)).toBe(expected);
  });

  it.each([['trace'], [-1], [1.5], [null], [{}]])(
    'toLevelNo(%p) throws a ConfigError naming the path and value',
    (bad) => {
      expect(() => toLevelNo(bad, 'handlers.file.level')).toThrow(ConfigError);
      expect(() => toLevelNo(bad, 'handlers.file.level')).toThrow(
        /handlers\.file\.level: .* is not a level; use one of critical/,
      );
    },
  );

  it('getLevelName follows Python: names both ways, "Level N" when unknown', () => {
    // CPython 3.11: getLevelName(25) == 'Level 25'; getLevelName('NOTICE') == 'Level NOTICE'
    expect(getLevelName(20)).toBe('INFO');
    expect(getLevelName(25)).toBe('Level 25');
    expect(getLevelName('WARNING')).toBe(30);
    expect(getLevelName('NOTICE_X')).toBe('Level NOTICE_X');
  });

  it('levelInfo maps Python names canonically and winston npm/syslog names as documented', () => {
    expect(levelInfo('warn')).toEqual({ levelno: 30, levelname: 'WARNING' });
    expect(levelInfo('fatal')).toEqual({ levelno: 50, levelname: 'CRITICAL' });
    expect(levelInfo('http')).toEqual({ levelno: 17, levelname: 'HTTP' });
    expect(levelInfo('verbose')).toEqual({ levelno: 15, levelname: 'VERBOSE' });
    expect(levelInfo('silly')).toEqual({ levelno: 5, levelname: 'SILLY' });
    expect(levelInfo('emerg')).toEqual({ levelno: 50, levelname: 'EMERG' });
    expect(levelInfo('notice')).toEqual({ levelno: 25, levelname: 'NOTICE' });
    expect(levelInfo('whatever')).toEqual({ levelno: 0, levelname: 'WHATEVER' });
  });

  it('addLevelName registers a custom level everywhere at once', () => {
    addLevelName(27, 'AUDIT');
    expect(getLevelName(27)).toBe('AUDIT');
    expect(toLevelNo('audit')).toBe(27);
    expect(levelInfo('audit')).toEqual({ levelno: 27, levelname: 'AUDIT' });
    expect(WINSTON_LEVELS.audit).toBe(100 - 27);
    expect(winstonLevelName(27)).toBe('audit');
  });

  it('winstonLevelName gives unnamed numbers a comparable key rendered as "Level N"', () => {
    expect(winstonLevelName(33)).toBe('level 33');
    expect(WINSTON_LEVELS['level 33']).toBe(67);
    expect(levelInfo('level 33')).toEqual({ levelno: 33, levelname: 'Level 33' });
  });

  it.each([
    [-1, 'X', /levelno -1 is not allowed/],
    [30.5, 'X', /levelno 30.5 is not allowed/],
    [31, '', /name "" is not allowed/],
    [31, 'log', /shadow logger.log/],
  ])('addLevelName(%p, %p) is rejected', (no, name, message) => {
    expect(() => addLevelName(no, name)).toThrow(message);
  });

  // CPython 3.11: addLevelName takes any name; _checkLevel matches names exactly; a bool is an int.
  it('accepts any non-empty name, and compatibility mode matches names exactly as registered', () => {
    addLevelName(27, 'MY LEVEL');
    expect(getLevelName(27)).toBe('MY LEVEL');
    expect(checkLevelStrict('MY LEVEL')).toBe(27);
    addLevelName(26, 'Notice2');
    expect(checkLevelStrict('Notice2')).toBe(26);
    expect(() => checkLevelStrict('NOTICE2')).toThrow("Unknown level: 'NOTICE2'");
    expect(checkLevelStrict('WARN')).toBe(30);
    expect(() => checkLevelStrict('info')).toThrow("Unknown level: 'info'");
    expect(checkLevelStrict(true)).toBe(1);
    expect(toLevelNo(true)).toBe(1);
    expect(() => checkLevelStrict(null)).toThrow('Level not an integer or a valid string: None');
  });
});

describe("levelNoOf (the level checks' fast path)", () => {
  const inputs: unknown[] = [
    'DEBUG',
    'debug',
    'Debug',
    ' warning ',
    'WARN',
    'fatal',
    'NOTSET',
    'http',
    'SILLY',
    25,
    '15',
    true,
  ];

  it('reads exactly what toLevelNo reads, and refuses what it refuses with the same error', () => {
    for (const level of inputs) expect([level, levelNoOf(level)]).toEqual([level, toLevelNo(level)]);
    // Its table of standard spellings is a literal of its own (for V8's fast mode): every standard name, in
    // both cases, must read as LEVELS says.
    for (const [name, levelno] of Object.entries(LEVELS))
      for (const spelling of [name, name.toLowerCase()])
        expect([spelling, levelNoOf(spelling)]).toEqual([spelling, levelno]);
    for (const bad of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'trace', -1, null]) {
      expect(() => levelNoOf(bad, 'p')).toThrow(ConfigError);
      expect(() => levelNoOf(bad, 'p')).toThrow(/^p: .* is not a level/);
    }
  });

  it('follows addLevelName: a new name, and a standard name given another number', () => {
    addLevelName(27, 'AUDIT2');
    expect([levelNoOf('AUDIT2'), levelNoOf('audit2')]).toEqual([27, 27]);
    // CPython lets a program rename a number's level; the name then means the new number everywhere.
    addLevelName(12, 'DEBUG');
    expect([levelNoOf('DEBUG'), levelNoOf('debug'), toLevelNo('debug')]).toEqual([12, 12, 12]);
    addLevelName(10, 'DEBUG');
    expect([levelNoOf('DEBUG'), levelNoOf('debug')]).toEqual([10, 10]);
  });
});

import { MESSAGE } from 'triple-beam';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { ConfigError } from '../../../src/errors';
import { adoptWinstonLevels, getLevelName, levelInfo, toLevelNo } from '../../../src/record/levels';
import { MemoryTransport } from '../../helpers/memory-transport';

afterAll(() => resetLogging());

/** The name of every level number from 0 to 1000, as `getLevelName` gives it now. */
function namedNumbers(): Map<number, string | number> {
  const out = new Map<number, string | number>();
  for (let n = 0; n <= 1000; n++) out.set(n, getLevelName(n));
  // Numbers a level name resolves to without being a registered number (npm's http, verbose, silly).
  for (const name of ['http', 'verbose', 'silly']) out.set(toLevelNo(name), name.toUpperCase());
  return out;
}

/**
 * Checks the placement rules for a table: known names keep their numbers; each unknown name lies
 * strictly between the numbers of its nearest known neighbours in winston's order, on a number no
 * level had before, with its name upper-cased; and winston's order is kept throughout.
 */
function expectPlacement(table: Record<string, number>): Map<string, number> {
  const before = namedNumbers();
  const knownBefore = new Map(
    Object.keys(table).map((name) => {
      try {
        return [name, toLevelNo(name)] as const;
      } catch {
        return [name, undefined] as const;
      }
    }),
  );
  const out = adoptWinstonLevels(table, 'levels');
  const ordered = Object.keys(table).sort((a, b) => (table[a] as number) - (table[b] as number));
  expect([...out.keys()].sort()).toEqual(Object.keys(table).sort());
  for (let i = 0; i < ordered.length; i++) {
    const name = ordered[i] as string;
    const levelno = out.get(name) as number;
    const known = knownBefore.get(name);
    if (known !== undefined) {
      expect([name, levelno]).toEqual([name, known]);
      continue;
    }
    const above = ordered
      .slice(0, i)
      .map((n) => knownBefore.get(n))
      .filter((n) => n !== undefined);
    const below = ordered
      .slice(i + 1)
      .map((n) => knownBefore.get(n))
      .filter((n) => n !== undefined);
    if (above.length > 0) expect(levelno).toBeLessThan(Math.min(...above));
    if (below.length > 0) expect(levelno).toBeGreaterThan(Math.max(...below));
    // Never a number some level already had.
    expect([name, before.get(levelno)]).toEqual([name, `Level ${levelno}`]);
    expect(getLevelName(levelno)).toBe(name.toUpperCase());
    expect(levelInfo(name).levelname).toBe(name.toUpperCase());
    expect(levelInfo(name).levelno).toBe(levelno);
  }
  // winston's order (lower priority = more severe) is Python's order (higher number = more severe).
  for (let i = 1; i < ordered.length; i++) {
    const prev = table[ordered[i - 1] as string] as number;
    const cur = table[ordered[i] as string] as number;
    if (cur > prev)
      expect(out.get(ordered[i] as string)).toBeLessThan(out.get(ordered[i - 1] as string) as number);
  }
  return out;
}

describe('adoptWinstonLevels', () => {
  it("keeps the numbers of winston's npm names", () => {
    const out = expectPlacement({ error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 });
    expect(Object.fromEntries(out)).toEqual({
      error: 40,
      warn: 30,
      info: 20,
      http: 17,
      verbose: 15,
      debug: 10,
      silly: 5,
    });
  });

  it("places winston's syslog names between their known neighbours", () => {
    // Before adoption the bundle already renders a plain winston logger's 'notice' record at a number.
    const plainNotice = levelInfo('notice').levelno;
    expect(plainNotice).toBeGreaterThan(20);
    expect(plainNotice).toBeLessThan(30);
    const out = expectPlacement({
      emerg: 0,
      alert: 1,
      crit: 2,
      error: 3,
      warning: 4,
      notice: 5,
      info: 6,
      debug: 7,
    });
    // The one free number midway between WARNING and INFO, and the one plain winston records already use.
    expect(out.get('notice')).toBe(plainNotice);
    const emerg = out.get('emerg') as number;
    const alert = out.get('alert') as number;
    const crit = out.get('crit') as number;
    expect(emerg).toBeGreaterThan(alert);
    expect(alert).toBeGreaterThan(crit);
    expect(crit).toBeGreaterThan(40);
  });

  it('places custom names without reusing a named number, upper-casing the name', () => {
    expectPlacement({ fatal: 0, error: 1, warn: 2, info: 3, trace: 4, debug: 5 });
    expectPlacement({ Audit: 0, error: 1, Security: 2, warn: 3 });
    // Between two levels one apart there is no free number: the name goes next to them, still unnamed.
    expectPlacement({ critical: 0, urgent: 1, error: 2, fine: 3, finer: 4, finest: 5 });
  });

  it('a second table with the same names keeps the numbers of the first', () => {
    const first = adoptWinstonLevels({ error: 0, lookout: 1, warn: 2 });
    const second = adoptWinstonLevels({ error: 0, lookout: 1, warn: 2 });
    expect(second.get('lookout')).toBe(first.get('lookout'));
  });

  it('rejects bad tables with a ConfigError naming the key', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'levels:'],
      [['error'], 'levels:'],
      ['error', 'levels:'],
      [{ error: 0, info: -1 }, 'levels.info'],
      [{ error: 0, info: 'low' }, 'levels.info'],
      [{ error: 0.5 }, 'levels.error'],
    ];
    for (const [table, key] of cases) {
      let caught: unknown;
      try {
        adoptWinstonLevels(table, 'levels');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect(String((caught as Error).message)).toContain(key);
    }
    // The same through a logger's options, and nothing changed.
    const before = namedNumbers();
    expect(() => createModuleLogger('bad', { levels: { shiny: 0, dull: 'x' as never } })).toThrow(
      /levels\.dull/,
    );
    expect(namedNumbers()).toEqual(before);
  });
});

describe('pythonFormat string shorthand', () => {
  it("pythonFormat('%(levelname)s') is pythonFormat({ format: '%(levelname)s' })", () => {
    const short = new MemoryTransport({ format: pythonFormat('%(levelname)s:%(name)s:%(message)s') });
    const long = new MemoryTransport({
      format: pythonFormat({ format: '%(levelname)s:%(name)s:%(message)s' }),
    });
    const log = createModuleLogger('short', { transports: [short, long] });
    log.warning('w %d', 1);
    log.log('notice', 'n');
    expect(short.lines).toEqual(['WARNING:short:w 1', 'NOTICE:short:n']);
    expect(long.lines).toEqual(short.lines);
    const info = pythonFormat('%(levelname)s').transform({ level: 'info', message: 'x' });
    expect((info as Record<symbol, unknown>)[MESSAGE]).toBe('INFO');
  });
});

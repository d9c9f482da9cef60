import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { compilePythonFormat } from '../../../../formats/python/compile-python-format';
import type { CompilePythonFormatOptions } from '../../../../formats/python/compile-python-format';
import { ConfigError } from '../../../../src/errors';
import { formatException } from '../../../../src/record/traceback';
import { PythonFormatError } from '../../../../formats/python/python-format-error';
import type { PythonLogRecord } from '../../../../src/record/python-log-record';

// Unless a comment says otherwise, expected strings below were printed by CPython 3.11.7's
// logging.Formatter for the same record (TZ=UTC where time is involved).
const base = (): PythonLogRecord => ({
  name: 'app.db',
  levelno: 20,
  levelname: 'INFO',
  msg: 'hello',
  args: [],
  created: 1700000000.123456,
  msecs: 123.0,
  relativeCreated: 1534.98765,
  lineno: 42,
  exc_info: null,
  exc_text: null,
  stack_info: null,
});

function fmt(
  f: string | null,
  extra: Partial<PythonLogRecord> = {},
  options: CompilePythonFormatOptions = {},
): string {
  return compilePythonFormat(f, { utc: true, ...options })({ ...base(), ...extra });
}

function thrown(fn: () => unknown): PythonFormatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PythonFormatError) return err;
    throw err;
  }
  throw new Error('expected a PythonFormatError');
}

describe('compilePythonFormat(fmt, options): the compiled function', () => {
  it('exposes fmt, style, fields and usesTime', () => {
    const f = compilePythonFormat('%(asctime)s - %(name)s - %(levelname)s - %(message)s - %(name)s');
    expect(f.fmt).toBe('%(asctime)s - %(name)s - %(levelname)s - %(message)s - %(name)s');
    expect(f.style).toBe('%');
    expect(f.fields).toEqual(['asctime', 'name', 'levelname', 'message']);
    expect(f.usesTime).toBe(true);
    expect(compilePythonFormat(null).fmt).toBe('%(message)s');
    expect(compilePythonFormat('', { style: '{' }).fmt).toBe('{message}');
    expect(compilePythonFormat(undefined, { style: '$' }).fmt).toBe('${message}');
    expect(compilePythonFormat('{args[0]} {name!r:>{width}}', { style: '{' }).fields).toEqual([
      'args',
      'name',
      'width',
    ]);
    expect(compilePythonFormat('$name ${levelname}', { style: '$' }).fields).toEqual(['name', 'levelname']);
    expect(compilePythonFormat('%(message)s').usesTime).toBe(false);
    expect(compilePythonFormat('${asctime}', { style: '$' }).usesTime).toBe(true);
  });

  it('sets record.message always, record.asctime only when used, like Formatter.format', () => {
    const rec: PythonLogRecord = { ...base(), msg: 'n=%d', args: [3], message: 'STALE', asctime: 'PRESET' };
    compilePythonFormat('%(message)s')(rec);
    expect(rec.message).toBe('n=3');
    expect(rec.asctime).toBe('PRESET');
    compilePythonFormat('%(asctime)s', { utc: true })(rec);
    expect(rec.asctime).toBe('2023-11-14 22:13:20,123');
  });

  it('renders the seed format', () => {
    expect(fmt('%(asctime)s - %(name)s - %(levelname)s - %(message)s')).toBe(
      '2023-11-14 22:13:20,123 - app.db - INFO - hello',
    );
  });

  describe('options', () => {
    it('validate: false accepts a format without fields and still applies %%', () => {
      expect(fmt('hello', {}, { validate: false })).toBe('hello');
      expect(fmt('no fields 100%%', {}, { validate: false })).toBe('no fields 100%');
      // CPython: Formatter('%s', validate=False) renders the record's __dict__ as the single argument.
      expect(fmt('%s', { args: null }, { validate: false })).toMatch(
        /^\{'name': 'app\.db', .*'message': 'hello'\}$/,
      );
      expect(() => fmt('%(name)*s', {}, { validate: false })).toThrow('* wants int');
    });

    it("style '{' supports the format mini-language, conversions and nested specs", () => {
      expect(
        fmt(
          '{levelname:^9}|{lineno:+05d}|{created:,.2f}|{msg!r}|{name!a}|{msecs:03.0f}|{relativeCreated:.1f}',
          {},
          { style: '{' },
        ),
      ).toBe("  INFO   |+0042|1,700,000,000.12|'hello'|'app.db'|123|1535.0");
      expect(fmt('{name:>{width}}', { width: 10 }, { style: '{' })).toBe('    app.db');
      expect(
        fmt(
          '{args[0]}/{args[1]!r}/{user[id]}',
          { args: ['a', 'b'], msg: '%s%s', user: { id: 7 } },
          { style: '{' },
        ),
      ).toBe("a/'b'/7");
    });

    it("style '$' renders str() of each field, floats by name with .0", () => {
      expect(fmt('$msecs ${created} $relativeCreated $lineno $$', {}, { style: '$' })).toBe(
        '123.0 1700000000.123456 1534.98765 42 $',
      );
    });

    it('defaults fill missing fields in every style; the record wins', () => {
      for (const [f, style] of [
        ['%(custom)s', '%'],
        ['{custom}', '{'],
        ['$custom', '$'],
      ] as const) {
        expect(fmt(f, {}, { style, defaults: { custom: 'dflt' } })).toBe('dflt');
        expect(fmt(f, { custom: 'rec' }, { style, defaults: { custom: 'dflt' } })).toBe('rec');
      }
    });

    it('datefmt, defaultTimeFormat and defaultMsecFormat behave as the Formatter attributes', () => {
      expect(fmt('%(asctime)s', {}, { datefmt: '%H:%M:%S %Z' })).toBe('22:13:20 GMT'); // gmtime's zone is GMT
      expect(fmt('%(asctime)s', {}, { datefmt: '' })).toBe('2023-11-14 22:13:20,123');
      expect(fmt('%(asctime)s', {}, { defaultMsecFormat: null })).toBe('2023-11-14 22:13:20');
      expect(
        fmt('%(asctime)s', { created: 1700000000.5, msecs: 500 }, { defaultMsecFormat: '%s.%03d' }),
      ).toBe('2023-11-14 22:13:20.500');
      expect(
        fmt('%(asctime)s', { created: 1700000000.5, msecs: 5 }, { defaultMsecFormat: '%s.%05.1f' }),
      ).toBe('2023-11-14 22:13:20.005.0');
      expect(fmt('%(asctime)s', {}, { defaultTimeFormat: '%H:%M:%S' })).toBe('22:13:20,123');
      expect(fmt('%(asctime)s', {}, { datefmt: '%H:%M', defaultMsecFormat: '%s.%03d' })).toBe('22:13');
    });

    it('asctime uses record.msecs, truncated, and floors created (pre-1970 too)', () => {
      expect(fmt('%(asctime)s', { created: 1704067199.9995, msecs: 999.0 })).toBe('2023-12-31 23:59:59,999');
      expect(fmt('%(asctime)s|%(msecs)d', { created: -1.5, msecs: -500.0 })).toBe(
        '1969-12-31 23:59:58,-500|-500',
      );
    });

    it('asctime is cached per second without going stale across seconds and formats', () => {
      const f = compilePythonFormat('%(asctime)s', { utc: true });
      const out = [0, 0.5, 1, 1.25, 0].map((d) =>
        f({ ...base(), created: 1700000000 + d, msecs: (d % 1) * 1000 }),
      );
      expect(out).toEqual([
        '2023-11-14 22:13:20,000',
        '2023-11-14 22:13:20,500',
        '2023-11-14 22:13:21,000',
        '2023-11-14 22:13:21,250',
        '2023-11-14 22:13:20,000',
      ]);
    });

    it('local time honours TZ, including a TZ change while running (real child process)', () => {
      // Jest gives tests a copy of process.env, so a TZ assignment inside a test never reaches V8:
      // the change is exercised in a real Node process instead.
      const engine = join(__dirname, '../../../../formats/python/compile-python-format.ts');
      const script = `
        const { compilePythonFormat } = require(${JSON.stringify(engine)});
        const f = compilePythonFormat('%(asctime)s', { datefmt: '%Y-%m-%d %H:%M:%S %z %Z' });
        const g = compilePythonFormat('%(asctime)s');
        const rec = () => ({ created: 1700000000.25, msecs: 250 });
        const out = [];
        for (const tz of ['UTC', 'Asia/Seoul', 'America/New_York']) { process.env.TZ = tz; out.push(f(rec()), g(rec())); }
        process.env.TZ = 'America/New_York';
        out.push(f({ created: 1689000000, msecs: 0 }));
        process.stdout.write(JSON.stringify(out));`;
      const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      // CPython with TZ=Asia/Seoul prints 'KST' for %Z: the abbreviations come from the system's tz database.
      expect(JSON.parse(out)).toEqual([
        '2023-11-14 22:13:20 +0000 UTC',
        '2023-11-14 22:13:20,250',
        '2023-11-15 07:13:20 +0900 KST',
        '2023-11-15 07:13:20,250',
        '2023-11-14 17:13:20 -0500 EST',
        '2023-11-14 17:13:20,250',
        '2023-07-10 10:40:00 -0400 EDT',
      ]);
    });
  });

  describe('exceptions and stack info', () => {
    it('renders exc_info (an Error with a cause chain) once, caches exc_text, appends after a newline', () => {
      const root = new Error('socket closed');
      const err = new TypeError('query failed', { cause: root });
      const rec: PythonLogRecord = { ...base(), exc_info: err };
      const out = compilePythonFormat('%(levelname)s:%(message)s')(rec);
      const tb = formatException(err);
      expect(tb).toContain('The above exception was the direct cause of the following exception:');
      expect(tb.indexOf('socket closed')).toBeLessThan(tb.indexOf('query failed'));
      expect(out).toBe(`INFO:hello\n${tb}`);
      expect(rec.exc_text).toBe(tb);
      // A second formatter reuses the cached text, as CPython does.
      rec.exc_text = 'CACHED';
      expect(compilePythonFormat('%(message)s')(rec)).toBe('hello\nCACHED');
    });

    it('appends stack_info after exc_text with the newline rule, and nothing for empty strings', () => {
      expect(fmt('%(message)s', { exc_text: 'EXC\n', stack_info: 'STACK' })).toBe('hello\nEXC\nSTACK');
      expect(fmt('%(message)s\n', { stack_info: 'STACK' })).toBe('hello\nSTACK');
      expect(fmt('%(message)s', { exc_text: '', stack_info: '' })).toBe('hello');
    });
  });

  describe('bad log data is rendered, never lost', () => {
    it('circular args render [...] and {...} as CPython', () => {
      const a: unknown[] = [1];
      a.push(a);
      const d: Record<string, unknown> = { a: 1 };
      d['self'] = d;
      expect(fmt('%(message)s', { msg: '%s %s', args: [a, d] })).toBe("[1, [...]] {'a': 1, 'self': {...}}");
    });

    it('BigInt renders as a Python int', () => {
      expect(fmt('%(message)s', { msg: '%d %s %x', args: [10n ** 30n, -5n, 255n] })).toBe(
        '1000000000000000000000000000000 -5 ff',
      );
    });

    it('a huge message is rendered whole', () => {
      const big = 'x'.repeat(2_000_000);
      expect(fmt('%(levelname)s:%(message)s', { msg: '%s!', args: [big] })).toBe(`INFO:${big}!`);
    });

    it('odd values: undefined/null as None, Map, Set, Date, Buffer, functions, symbols, Errors', () => {
      const args = [
        undefined,
        new Map<unknown, unknown>([['k', 1]]),
        new Set([1]),
        Buffer.from("it's"),
        function named() {},
        Symbol('sym'),
        new Error('boom'),
        new RangeError("it's"),
      ];
      expect(fmt('%(message)s', { msg: '%s|%s|%s|%s|%s|%s|%s|%r', args })).toBe(
        `None|{'k': 1}|{1}|b"it's"|<function named>|sym|boom|RangeError("it's")`,
      );
    });

    it('odd keys in the record are usable fields', () => {
      expect(fmt('%(message)s %(my key)s %(na(me))s', { 'my key': 'v', 'na(me)': 'n' })).toBe('hello v n');
    });
  });

  describe('errors', () => {
    it('rejects an unknown style (init, ValueError, CPython wording)', () => {
      const err = thrown(() => compilePythonFormat('%(message)s', { style: 'x' as '%' }));
      expect([err.pythonType, err.phase, err.pythonMessage]).toEqual([
        'ValueError',
        'init',
        'Style must be one of: %,{,$',
      ]);
      expect(err).toBeInstanceOf(ConfigError);
    });

    it('rejects options of the wrong type with a ConfigError naming key, value and what is allowed', () => {
      const bad: Array<[unknown, object, RegExp]> = [
        [42, {}, /fmt: 42 is not allowed/],
        [null, { datefmt: 5 }, /datefmt: 5 is not allowed; use a string or null/],
        [null, { validate: 'yes' }, /validate: "yes" is not allowed; use true or false/],
        [null, { utc: 1 }, /utc: 1 is not allowed/],
        [null, { defaults: [] }, /defaults: \[\] is not allowed/],
        [null, { defaultTimeFormat: null }, /defaultTimeFormat: null is not allowed; use a string$/],
        [null, { defaultMsecFormat: 3 }, /defaultMsecFormat: 3 is not allowed/],
      ];
      for (const [f, options, message] of bad) {
        expect(() => compilePythonFormat(f as string, options as CompilePythonFormatOptions)).toThrow(
          ConfigError,
        );
        expect(() => compilePythonFormat(f as string, options as CompilePythonFormatOptions)).toThrow(
          message,
        );
      }
    });

    it.each([
      ['%(name)', '%', "Invalid format '%(name)' for '%' style", 0, "'%(name)'"],
      ['hello %d', '%', "Invalid format 'hello %d' for '%' style", 6, "'%d'"],
      ['{name!x}', '{', "invalid format: invalid conversion: 'x'", 5, "'!x'"],
      ['{name:zz}', '{', "invalid format: bad specifier: 'zz'", 6, "'zz'"],
      ['{a-b}', '{', "invalid format: invalid field name/expression: 'a-b'", 1, "'a-b'"],
      ['{name} }', '{', "invalid format: Single '}' encountered in format string", 7, 'position 7'],
      ['{levelname', '{', "invalid format: expected '}' before end of string", 0, 'position 0'],
      ['plain', '{', 'invalid format: no fields', 0, "'plain'"],
      ['a $ b $message', '$', "invalid format: bare '$' not allowed", 2, 'position 2'],
      ['plain', '$', 'invalid format: no fields', 0, "'plain'"],
    ] as const)(
      'rejects %j in style %s at init, naming the token and its position',
      (f, style, message, position, token) => {
        const err = thrown(() => compilePythonFormat(f, { style }));
        expect([err.pythonType, err.phase, err.pythonMessage, err.position]).toEqual([
          'ValueError',
          'init',
          message,
          position,
        ]);
        expect(err.message).toContain(message);
        expect(err.message).toContain(token);
      },
    );

    it('format-time failures throw PythonFormatError with phase "format"', () => {
      const cases: Array<[string, CompilePythonFormatOptions, Partial<PythonLogRecord>, string, string]> = [
        ['%(foo)s', {}, {}, 'ValueError', "Formatting field not found in record: 'foo'"],
        ['%(levelname)d', {}, {}, 'TypeError', '%d format: a real number is required, not str'],
        ['%(message)s', {}, { msg: '%(x)s %(y)s', args: { x: 1 } }, 'KeyError', "'y'"],
        [
          '%(message)s',
          {},
          { msg: '%s %s', args: ['a'] },
          'TypeError',
          'not enough arguments for format string',
        ],
        ['{foo}', { style: '{' }, {}, 'ValueError', "Formatting field not found in record: 'foo'"],
        [
          '{0}',
          { style: '{' },
          {},
          'IndexError',
          'Replacement index 0 out of range for positional args tuple',
        ],
        [
          '{msecs:03d}',
          { style: '{' },
          {},
          'ValueError',
          "Unknown format code 'd' for object of type 'float'",
        ],
        ['{name', { style: '{', validate: false }, {}, 'ValueError', "expected '}' before end of string"],
        ['$foo', { style: '$' }, {}, 'ValueError', "Formatting field not found in record: 'foo'"],
        [
          'ab $ $name',
          { style: '$', validate: false },
          {},
          'ValueError',
          'Invalid placeholder in string: line 1, col 4',
        ],
        [
          'line1\nab $',
          { style: '$', validate: false },
          {},
          'ValueError',
          'Invalid placeholder in string: line 2, col 4',
        ],
        ['%(asctime)s', {}, { created: Number.NaN }, 'ValueError', 'Invalid value NaN (not a number)'],
      ];
      for (const [f, options, rec, type, message] of cases) {
        const compiled = compilePythonFormat(f, options);
        const err = thrown(() => compiled({ ...base(), ...rec }));
        expect([f, err.pythonType, err.phase, err.pythonMessage]).toEqual([f, type, 'format', message]);
      }
    });

    it('a format that renders once keeps rendering: no state leaks between records', () => {
      const f = compilePythonFormat('%(levelname)-8s %(message)s');
      expect(() => f({ ...base(), msg: '%d', args: ['x'] })).toThrow(PythonFormatError);
      expect(f(base())).toBe('INFO     hello');
    });
  });
});

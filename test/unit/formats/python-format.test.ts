import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { TransformableInfo } from 'logform';
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import winston from 'winston';
import Transport from 'winston-transport';
import { pythonFormat } from '../../../formats/python-format';
import { createModuleLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { ConfigError } from '../../../src/errors';
import { WINSTON_LEVELS } from '../../../src/record/levels';
import { PY_RECORD } from '../../../src/record/record';

const SEED = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
const ASCTIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}$/;

/** Collects the rendered lines (info[MESSAGE]) a transport receives. */
class LinesTransport extends Transport {
  readonly lines: string[] = [];
  override log(info: TransformableInfo, next: () => void): void {
    this.lines.push(String((info as Record<symbol, unknown>)[MESSAGE]));
    next();
  }
}

function render(fmt: string, info: Record<string | symbol, unknown>, options = {}): string {
  const f = pythonFormat({ format: fmt, ...options });
  const out = f.transform(info as TransformableInfo, f.options) as Record<symbol, unknown>;
  return String(out[MESSAGE]);
}

function thisLine(): number {
  const stack = new Error().stack?.split('\n')[2] ?? '';
  return Number(/:(\d+):\d+\)?$/.exec(stack)?.[1]);
}

afterEach(() => resetLogging());

describe('pythonFormat on module loggers', () => {
  function setup(fmt = SEED): { sink: LinesTransport } {
    const sink = new LinesTransport({ format: pythonFormat({ format: fmt }) });
    getRootLogger().setLevel('DEBUG').add(sink);
    return { sink };
  }

  it('renders the seed format: asctime, name, levelname, message with % args', () => {
    const { sink } = setup();
    createModuleLogger('database').info('Query executed: %s (%d rows)', 'SELECT * FROM users', 3);
    const [line] = sink.lines;
    const parts = line!.split(' - ');
    expect(parts[0]).toMatch(ASCTIME);
    expect(parts.slice(1)).toEqual(['database', 'INFO', 'Query executed: SELECT * FROM users (3 rows)']);
  });

  it('renders warn/fatal aliases with Python names', () => {
    const { sink } = setup('%(levelname)s %(levelno)d');
    const log = createModuleLogger('x');
    log.warn('a');
    log.fatal('b');
    log.warning('c');
    log.critical('d');
    expect(sink.lines).toEqual(['WARNING 30', 'CRITICAL 50', 'WARNING 30', 'CRITICAL 50']);
  });

  it('Errors logged bare, as an argument, and as { exc_info } all render the traceback after the line', () => {
    const { sink } = setup('%(levelname)s:%(name)s:%(message)s');
    const log = createModuleLogger('db');
    const err = new Error('connection reset by peer');
    log.error(err);
    log.error('Query failed', err);
    log.error('Query failed: %s', 'SELECT 1', { exc_info: err });
    log.exception('Unexpected', err);
    expect(sink.lines[0]).toBe(`ERROR:db:connection reset by peer\n${err.stack}`);
    expect(sink.lines[1]).toBe(`ERROR:db:Query failed\n${err.stack}`);
    expect(sink.lines[2]).toBe(`ERROR:db:Query failed: SELECT 1\n${err.stack}`);
    expect(sink.lines[3]).toBe(`ERROR:db:Unexpected\n${err.stack}`);
  });

  it('renders cause chains Python-style (cause first, then the chaining sentence)', () => {
    const { sink } = setup('%(message)s');
    const cause = new Error('socket closed');
    const err = new Error('query failed', { cause });
    createModuleLogger('db').error('boom', err);
    expect(sink.lines[0]).toBe(
      `boom\n${cause.stack}\n\nThe above exception was the direct cause of the following exception:\n\n${err.stack}`,
    );
  });

  it('log.exception() with no error appends NoneType: None, as CPython does outside an except block', () => {
    const { sink } = setup('%(message)s');
    createModuleLogger('db').exception('nothing caught');
    expect(sink.lines).toEqual(['nothing caught\nNoneType: None']);
  });

  it('captures call-site fields only when a format uses them', () => {
    const { sink } = setup('%(filename)s:%(lineno)d %(funcName)s %(module)s');
    const log = createModuleLogger('site');
    function doWork(): number {
      const line = thisLine();
      log.info('x');
      return line + 1;
    }
    const expectedLine = doWork();
    expect(sink.lines).toEqual([`python-format.test.ts:${expectedLine} doWork python-format.test`]);
  });

  it('metadata keys are extra attributes (%(user)s)', () => {
    const { sink } = setup('%(user)s did %(message)s');
    createModuleLogger('auth').info('login', { user: 'bob' });
    expect(sink.lines).toEqual(['bob did login']);
  });

  it('never throws at log time: a missing field keeps the record as LEVEL:name:message', () => {
    const { sink } = setup('%(user)s %(message)s');
    const calls: string[] = [];
    const realWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: unknown) => calls.push(String(chunk)) > 0;
    try {
      createModuleLogger('auth').warning('no user here');
      createModuleLogger('auth').warning('nor here');
    } finally {
      process.stderr.write = realWrite;
    }
    expect(sink.lines).toEqual(['WARNING:auth:no user here', 'WARNING:auth:nor here']);
    const reports = calls.filter((t) => t.includes('Logging error'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain("Formatting field not found in record: 'user'");
  });

  it('a % merge that CPython would reject keeps the message and its arguments', () => {
    const { sink } = setup('%(message)s');
    const log = createModuleLogger('m');
    log.info('%d items', 'abc');
    log.info('%s and %s', 'one');
    log.info('100%'); // no args: no % processing at all, as in Python
    expect(sink.lines).toEqual(['%d items abc', '%s and %s one', '100%']);
  });

  it('logs bad data anyway: circular objects, BigInt, Symbols, functions', () => {
    const { sink } = setup('%(message)s');
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    createModuleLogger('m').info('%s %s %s %s', circular, 10n ** 20n, Symbol('s'), function named() {});
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).toContain('100000000000000000000');
    expect(sink.lines[0]).toContain("{'a': 1, 'self': {...}}");
  });
});

describe('pythonFormat on plain winston loggers', () => {
  it("Errors logged as an argument render the traceback, and the message is the caller's", () => {
    const sink = new LinesTransport({ format: pythonFormat({ format: '%(levelname)s:%(message)s' }) });
    const logger = winston.createLogger({ transports: [sink] });
    const err = new Error('bad thing');
    logger.error('It failed', err);
    expect(sink.lines).toEqual([`ERROR:It failed\n${err.stack}`]);
  });

  it('a bare Error renders its message and traceback when pythonFormat runs on the logger', () => {
    const sink = new LinesTransport();
    const logger = winston.createLogger({
      format: pythonFormat({ format: '%(levelname)s:%(message)s' }),
      transports: [sink],
    });
    const err = new Error('bare');
    logger.error(err);
    expect(sink.lines).toEqual([`ERROR:bare\n${err.stack}`]);
  });

  it('maps npm levels as documented and takes the name from info.logger / label / root', () => {
    const sink = new LinesTransport({
      format: pythonFormat({ format: '%(name)s %(levelname)s %(levelno)s %(message)s' }),
    });
    const logger = winston.createLogger({ level: 'silly', transports: [sink] });
    logger.http('a');
    logger.verbose('b', { logger: 'api.v1' });
    logger.silly('c', { label: 'lab' });
    logger.warn('%s=%d', 'x', 5);
    expect(sink.lines).toEqual([
      'root HTTP 17 a',
      'api.v1 VERBOSE 15 b',
      'lab SILLY 5 c',
      'root WARNING 30 x=5',
    ]);
  });

  it('works with the bundle levels on a plain winston logger', () => {
    const sink = new LinesTransport({ format: pythonFormat({ format: '%(levelname)s %(message)s' }) });
    const logger = winston.createLogger({ levels: WINSTON_LEVELS, level: 'debug', transports: [sink] });
    logger.log('critical', 'down');
    expect(sink.lines).toEqual(['CRITICAL down']);
  });
});

describe('pythonFormat record mapping', () => {
  const created = 1700000000123; // 2023-11-14 22:13:20.123 UTC
  function info(extra: Record<string, unknown> = {}): Record<string | symbol, unknown> {
    return { level: 'info', message: 'hi', [LEVEL]: 'info', [PY_RECORD]: { name: 'app', created }, ...extra };
  }

  it('asctime is the time of the call in local time, TZ honoured, with ,mmm', () => {
    // Jest gives each test file its own copy of process.env, so the TZ has to be set on a real process.
    const script = `
      const { pythonFormat } = require('./formats/python-format');
      const { PY_RECORD } = require('./src/record/record');
      const { MESSAGE, LEVEL } = require('triple-beam');
      const info = { level: 'info', message: 'hi', [LEVEL]: 'info', [PY_RECORD]: { name: 'app', created: ${created} } };
      const local = pythonFormat({ format: '%(asctime)s' });
      const utc = pythonFormat({ format: '%(asctime)s', utc: true });
      process.stdout.write(local.transform({ ...info }, {})[MESSAGE] + '|' + utc.transform({ ...info }, {})[MESSAGE]);
    `;
    const run = (tz: string): string =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: path.resolve(__dirname, '..', '..', '..'),
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
    // 1700000000.123 is 2023-11-14 22:13:20 UTC, 2023-11-15 07:13:20 in Seoul (UTC+9, no DST).
    expect(run('UTC')).toBe('2023-11-14 22:13:20,123|2023-11-14 22:13:20,123');
    expect(run('Asia/Seoul')).toBe('2023-11-15 07:13:20,123|2023-11-14 22:13:20,123');
  });

  it('created, msecs and relativeCreated are Python floats; process/thread have Node meanings', () => {
    const out = render(
      '%(created)f %(msecs)03d %(process)d %(processName)s %(threadName)s %(thread)d',
      info(),
    );
    expect(out).toBe(`1700000000.123000 123 ${process.pid} MainProcess MainThread 0`);
  });

  it('uses winston SPLAT as args for infos without a context', () => {
    expect(
      render('%(message)s', { level: 'info', message: '%s-%s', [LEVEL]: 'info', [SPLAT]: ['a', 'b'] }),
    ).toBe('a-b');
  });

  it('%(msg)s and %(args)s see the raw pair', () => {
    const i = info();
    (i[PY_RECORD] as Record<string, unknown>).args = ['x', 1];
    i.message = 'v=%s n=%d';
    expect(render('%(msg)s | %(args)s | %(message)s', i)).toBe("v=%s n=%d | ('x', 1) | v=x n=1");
  });

  it.each([
    [{ fmt: 1 }, /pythonFormat\.fmt: unknown option/],
    [{ format: 42 }, /pythonFormat\.format: 42 is not allowed/],
    [null, /pythonFormat: options null is not allowed/],
  ])('rejects bad options %p with a ConfigError', (options, message) => {
    expect(() => pythonFormat(options as never)).toThrow(ConfigError);
    expect(() => pythonFormat(options as never)).toThrow(message);
  });

  it('rejects a format CPython rejects, naming the format', () => {
    expect(() => pythonFormat({ format: 'hello' })).toThrow(/Invalid format 'hello' for '%' style/);
  });
});

describe('pythonFormat with winston-style trailing metadata', () => {
  it('a trailing object not consumed by % conversions is metadata on plain winston loggers too', () => {
    const sink = new LinesTransport({ format: pythonFormat({ format: '%(seq)s|%(message)s' }) });
    const logger = winston.createLogger({ transports: [sink] });
    logger.error('record %d of %s', 7, 'batch', { seq: 7 });
    expect(sink.lines).toEqual(['7|record 7 of batch']);
  });
});

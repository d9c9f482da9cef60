import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import {
  createModuleLogger,
  ModuleLogger,
  pythonFormat,
  resetLogging,
  RotatingFileTransport,
} from '../../../src/index';
import { MemoryTransport } from '../../helpers/memory-transport';
import {
  VARIANTS,
  inMemory,
  settle,
  type AnyLogger,
  type ContractOptions,
  type Variant,
} from './contract-helpers';

// Issue 8's points that winston's own tests do not cover: child bindings in Python and JSON output, winston's npm
// levels on module loggers, detached methods, logform at logger level, exception/rejection handling in a real
// child process, `silent`, transport events, 'finish'. Behaviours winston defines run on both factories; the
// Python-only ones (pythonFormat fields, tree propagation) on module loggers.

const { format } = winston;
const ROOT = path.resolve(__dirname, '..', '..', '..');
const UNCAUGHT_APP = path.join(ROOT, 'test', 'fixtures', 'winston-contract', 'uncaught-app.ts');
// A child that swallows the error never exits: the deadline ends it (and fails the test). tsx start-up on a
// busy 2-core machine takes seconds, hence the generous figures.
const SPAWN_DEADLINE_MS = 15_000;
const SPAWN_TEST_TIMEOUT_MS = 30_000;
// An SGR escape sequence, as colorize() writes them.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const moduleLogger = (name: string, options?: ContractOptions): AnyLogger =>
  (createModuleLogger as unknown as (n: string, o?: ContractOptions) => AnyLogger)(name, options);
const lines = (records: TransformableInfo[]): string[] => records.map((r) => r[MESSAGE as never] as string);
const call = (logger: AnyLogger, method: string, ...args: unknown[]): unknown =>
  (logger[method] as (...a: unknown[]) => unknown)(...args);

describe.each(VARIANTS)('winston behaviours issue 8 names ($kind)', (variant: Variant) => {
  beforeEach(() => variant.reset());

  it('child({ requestId }) keeps the binding in json() output, through nested children', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({ level: 'info', format: format.json(), transports: [inMemory(records)] });
    logger.child({ requestId: 'r-42' }).info('x');
    const nested = logger.child({ requestId: 'r-42', tenant: 't1' }).child({ span: 's1', tenant: 't2' });
    nested.info('y', { extra: 1 });
    nested.child({ span: 's2' }).warn('z');
    await settle();
    expect(lines(records).map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 'info', message: 'x', requestId: 'r-42' },
      // The inner binding wins over the outer one; the call's own metadata wins over both.
      { level: 'info', message: 'y', requestId: 'r-42', tenant: 't2', span: 's1', extra: 1 },
      { level: 'warn', message: 'z', requestId: 'r-42', tenant: 't2', span: 's2' },
    ]);
  });

  it('verbose, http and silly exist with is<Level>Enabled, ordered as npm orders them', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({ level: 'verbose', transports: [inMemory(records)] });
    for (const name of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']) {
      expect(typeof logger[name]).toBe('function');
      expect(typeof logger[`is${name[0]?.toUpperCase()}${name.slice(1)}Enabled`]).toBe('function');
    }
    expect([
      call(logger, 'isHttpEnabled'),
      call(logger, 'isVerboseEnabled'),
      call(logger, 'isDebugEnabled'),
      call(logger, 'isSillyEnabled'),
    ]).toEqual([true, true, false, false]);
    call(logger, 'http', 'h');
    call(logger, 'verbose', 'v');
    call(logger, 'debug', 'd');
    call(logger, 'silly', 's');
    logger.log('verbose', 'log(verbose)');
    logger.log('http', 'log(http)', { path: '/' });
    await settle();
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ['http', 'h'],
      ['verbose', 'v'],
      ['verbose', 'log(verbose)'],
      ['http', 'log(http)'],
    ]);
    expect(records[3]?.path).toBe('/');
  });

  it('detached methods work: const { info } = log; promise.catch(log.error)', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({ level: 'silly', transports: [inMemory(records)] });
    const { info, warn, error, verbose } = logger as unknown as Record<string, (...a: unknown[]) => unknown>;
    const { isDebugEnabled } = logger as unknown as Record<string, () => boolean>;
    info?.('detached info');
    warn?.('detached warn %s', 'arg');
    verbose?.('detached verbose');
    expect(isDebugEnabled?.()).toBe(true);
    await Promise.reject(new Error('rejected')).catch(error);
    await Promise.reject(new Error('rejected again')).catch(logger.error);
    await settle();
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ['info', 'detached info'],
      ['warn', 'detached warn %s'],
      ['verbose', 'detached verbose'],
      ['error', 'rejected'],
      ['error', 'rejected again'],
    ]);
  });

  it('format.errors({ stack: true }) at logger level puts message and stack in json()', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({
      level: 'info',
      format: format.combine(format.errors({ stack: true }), format.json()),
      transports: [inMemory(records)],
    });
    const err = new Error('connection reset');
    logger.error(err as never);
    await settle();
    const out = JSON.parse(lines(records)[0] as string) as Record<string, unknown>;
    expect(out.level).toBe('error');
    expect(out.message).toBe('connection reset');
    expect(out.stack).toBe(err.stack);
  });

  it("log.error('Query failed', err) with json() keeps the error's message and stack", async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({ level: 'info', format: format.json(), transports: [inMemory(records)] });
    const err = new Error('duplicate key');
    logger.error('Query failed', err);
    await settle();
    const out = JSON.parse(lines(records)[0] as string) as Record<string, unknown>;
    // winston appends the error's message to the call's and copies its stack.
    expect(out.message).toBe('Query failed duplicate key');
    expect(out.stack).toBe(err.stack);
  });

  it('logger.silent set after creation drops records; unset, they flow again', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({ level: 'info', transports: [inMemory(records)] });
    logger.silent = true;
    logger.info('dropped');
    logger.child({ a: 1 }).error('dropped too');
    logger.log({ level: 'error', message: 'dropped as well' });
    await settle();
    expect(records).toEqual([]);
    logger.silent = false;
    logger.info('kept');
    await settle();
    expect(records.map((r) => r.message)).toEqual(['kept']);
  });

  it("a transport's 'warn' is re-emitted on the logger with the transport", () => {
    const transport = new MemoryTransport();
    const logger = variant.create({ transports: [transport] });
    const seen: unknown[][] = [];
    logger.on('warn', (w: unknown, t: unknown) => seen.push([w, t]));
    const warning = new Error('falling behind');
    transport.emit('warn', warning);
    expect(seen).toEqual([[warning, transport]]);
  });

  it("a transport 'error' with no listener: winston throws it, a module logger reports it once on stderr (difference)", () => {
    const transport = new MemoryTransport();
    variant.create({ transports: [transport] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const err = new Error('disk on fire');
      if (variant.kind === 'winston') {
        expect(() => transport.emit('error', err)).toThrow('disk on fire');
      } else {
        expect(() => transport.emit('error', err)).not.toThrow();
        expect(() => transport.emit('error', err)).not.toThrow();
        const reports = [
          ...stderr.mock.calls.map((c) => String(c[0])),
          ...consoleError.mock.calls.map(String),
        ];
        expect(reports.filter((r) => r.includes('disk on fire'))).toHaveLength(1);
      }
    } finally {
      stderr.mockRestore();
      consoleError.mockRestore();
    }
  });

  it("logger.end() emits 'finish' when one transport had already finished", async () => {
    const done = new MemoryTransport();
    const open = new MemoryTransport();
    const logger = variant.create({ transports: [done, open] });
    let openFinished = false;
    open.on('finish', () => (openFinished = true));
    // winston-transport's streams may emit 'finish' inside end(): listen first.
    const doneFinished = once(done, 'finish');
    done.end();
    await doneFinished;
    let finished = false;
    logger.on('finish', () => (finished = true));
    logger.end();
    await settle(20);
    expect(finished).toBe(true);
    expect(openFinished).toBe(true);
  });

  it("'close' is emitted by logger.close()", () => {
    const logger = variant.create({ transports: [new MemoryTransport()] });
    const closed = jest.fn();
    logger.on('close', closed);
    logger.close();
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('log(info), write(info) and the level methods reach the transport alike', async () => {
    const records: TransformableInfo[] = [];
    const logger = variant.create({
      level: 'info',
      defaultMeta: { svc: 'api' },
      transports: [inMemory(records)],
    });
    logger.log({ level: 'info', message: 'log(info)' });
    logger.write({ level: 'warn', message: 'write(info)' });
    logger.info('info()');
    await settle();
    expect(records.map((r) => [r.level, r.message, r.svc])).toEqual([
      ['info', 'log(info)', 'api'],
      // write() is the raw stream entry: winston adds no defaultMeta there.
      ['warn', 'write(info)', undefined],
      ['info', 'info()', 'api'],
    ]);
  });

  it('configure() resets the level: winston to info, a module logger to NOTSET (difference)', () => {
    const logger = variant.create({ level: 'error' });
    logger.configure({});
    if (variant.kind === 'winston') {
      expect(logger.level).toBe('info');
      expect(logger.isLevelEnabled('debug')).toBe(false);
    } else {
      expect((logger as unknown as ModuleLogger).levelno).toBe(0);
      expect(logger.isLevelEnabled('debug')).toBe(true);
    }
  });

  describe.each([
    ['exception', 'handle'],
    ['exception', 'option'],
    ['rejection', 'handle'],
    ['rejection', 'option'],
  ])('an unhandled %s with the handler given by %s()', (mode, wiring) => {
    it(
      'is logged by the handler transport and the process exits with 1 (exitOnError)',
      () => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', UNCAUGHT_APP, variant.kind, mode, wiring], {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: SPAWN_DEADLINE_MS,
        });
        expect(r.signal).toBeNull();
        expect(r.status).toBe(1);
        const logged = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(logged).toHaveLength(1);
        const prefix = mode === 'exception' ? 'uncaughtException: boom' : 'unhandledRejection: nope';
        expect(String(logged[0]?.message)).toContain(prefix);
        expect(logged[0]?.level).toBe('error');
      },
      SPAWN_TEST_TIMEOUT_MS,
    );
  });

  it(
    'an uncaught exception with exitOnError: false is logged and the process goes on',
    () => {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', UNCAUGHT_APP, variant.kind, 'exception-no-exit', 'handle'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: SPAWN_DEADLINE_MS,
        },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('uncaughtException: boom');
      expect(r.stdout).toContain('still running');
    },
    SPAWN_TEST_TIMEOUT_MS,
  );
});

describe('module loggers: the Python side of the contract', () => {
  beforeEach(() => {
    delete process.env.LOG_LEVEL;
    delete process.env.LOG_LEVELS;
    resetLogging();
  });
  afterAll(() => resetLogging());

  it('are winston Loggers and ModuleLoggers', () => {
    const log = moduleLogger('web');
    expect(log).toBeInstanceOf(winston.Logger);
    expect(log).toBeInstanceOf(ModuleLogger);
  });

  it('child({ requestId }) renders %(requestId)s in pythonFormat, nested children too', async () => {
    const out = new MemoryTransport({
      format: pythonFormat({ format: '%(levelname)s:%(name)s:%(message)s [%(requestId)s %(span)s]' }),
    });
    const log = moduleLogger('web', { level: 'info', transports: [out] });
    log.child({ requestId: 'r-42', span: '-' }).info('x');
    log.child({ requestId: 'r-42' }).child({ span: 's1' }).warn('y');
    await settle();
    expect(out.lines).toEqual(['INFO:web:x [r-42 -]', 'WARNING:web:y [r-42 s1]']);
  });

  it("winston's npm names are Python-numbered levels: %(levelname)s %(levelno)d", async () => {
    const out = new MemoryTransport({
      format: pythonFormat({ format: '%(levelname)s %(levelno)d %(message)s' }),
    });
    const log = moduleLogger('levels', { level: 'silly', transports: [out] });
    for (const m of [
      'critical',
      'fatal',
      'error',
      'warning',
      'warn',
      'info',
      'http',
      'verbose',
      'debug',
      'silly',
    ])
      call(log, m, m);
    await settle();
    expect(out.lines).toEqual([
      'CRITICAL 50 critical',
      'CRITICAL 50 fatal',
      'ERROR 40 error',
      'WARNING 30 warning',
      'WARNING 30 warn',
      'INFO 20 info',
      'HTTP 17 http',
      'VERBOSE 15 verbose',
      'DEBUG 10 debug',
      'SILLY 5 silly',
    ]);
    const py = log as unknown as ModuleLogger;
    py.setLevel('verbose');
    expect(
      ['isCriticalEnabled', 'isFatalEnabled', 'isWarningEnabled', 'isHttpEnabled', 'isDebugEnabled'].map(
        (m) => call(log, m),
      ),
    ).toEqual([true, true, true, true, false]);
    expect([py.isEnabledFor(17), py.isEnabledFor(15), py.isEnabledFor(14)]).toEqual([true, true, false]);
  });

  it('a levels option turns custom names into Python levels: known names keep their numbers', async () => {
    const out = new MemoryTransport({ format: pythonFormat({ format: '%(levelname)s %(levelno)d' }) });
    const log = moduleLogger('syslog', {
      levels: winston.config.syslog.levels,
      level: 'debug',
      transports: [out],
    });
    for (const m of ['error', 'notice', 'info', 'debug']) call(log, m, m);
    await settle();
    const [error, notice, info, debug] = out.lines;
    expect([error, info, debug]).toEqual(['ERROR 40', 'INFO 20', 'DEBUG 10']);
    // notice sits between its known neighbours, warning (30) and info (20).
    const noticeNo = Number(notice?.split(' ')[1]);
    expect(notice?.startsWith('NOTICE ')).toBe(true);
    expect(noticeNo).toBeGreaterThan(20);
    expect(noticeNo).toBeLessThan(30);
  });

  it('combine(pythonFormat(), colorize({ all: true })) at logger level colours every level, CRITICAL included', async () => {
    const records: TransformableInfo[] = [];
    const log = moduleLogger('colour', {
      level: 'silly',
      format: format.combine(
        pythonFormat({ format: '%(levelname)s:%(message)s' }),
        format.colorize({ all: true }),
      ),
      transports: [inMemory(records)],
    });
    const methods = ['critical', 'error', 'warning', 'info', 'http', 'verbose', 'debug', 'silly'];
    for (const m of methods) call(log, m, m);
    await settle();
    const out = lines(records);
    expect(out.map((l) => l.replace(ANSI, ''))).toEqual(methods.map((m) => `${m.toUpperCase()}:${m}`));
    for (const l of out) expect(l.replace(ANSI, '')).not.toBe(l);
  });

  it('splat() before pythonFormat interpolates the arguments once', async () => {
    const records: TransformableInfo[] = [];
    const errors = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = moduleLogger('splat', {
        level: 'info',
        format: format.combine(format.splat(), pythonFormat({ format: '%(message)s' })),
        transports: [inMemory(records)],
      });
      log.info('%s users online', 5);
      log.info('%d%% done', 50);
      log.info('user %s, meta kept', 'ann', { tenant: 't1' });
      await settle();
      expect(lines(records)).toEqual(['5 users online', '50% done', 'user ann, meta kept']);
      expect(records[2]?.tenant).toBe('t1');
      // No "not all arguments converted" report from a second interpolation.
      expect(errors.mock.calls.map((c) => String(c[0])).join('')).toBe('');
    } finally {
      errors.mockRestore();
    }
  });

  it("records go through the logger's format, then its transports, then the ancestors' while propagate", async () => {
    const parentOut = new MemoryTransport();
    const childOut = new MemoryTransport();
    moduleLogger('app', { transports: [parentOut] });
    const child = moduleLogger('app.db', { level: 'info', format: format.json(), transports: [childOut] });
    child.info('q', { ms: 3 });
    await settle();
    const expected = JSON.stringify({ level: 'info', message: 'q', ms: 3 });
    expect(childOut.lines).toEqual([expected]);
    expect(parentOut.lines).toEqual([expected]);
    const quiet = moduleLogger('app.cache', {
      level: 'info',
      propagate: false,
      transports: [new MemoryTransport()],
    });
    quiet.info('kept local');
    await settle();
    expect(parentOut.lines).toHaveLength(1);
  });

  it('the filters option drops records before any handler', async () => {
    const out = new MemoryTransport();
    const log = moduleLogger('filtered', {
      level: 'info',
      filters: [(info: TransformableInfo) => info.message !== 'noise'],
      transports: [out],
    });
    log.info('noise');
    log.info('signal');
    await settle();
    expect(out.records.map((r) => r.message)).toEqual(['signal']);
  });

  it('a child of a module logger is still the tree node: level changes on the parent apply to it', async () => {
    const out = new MemoryTransport();
    const log = moduleLogger('tree', { level: 'info', transports: [out] });
    const child = log.child({ requestId: 'r-1' });
    (log as unknown as ModuleLogger).setLevel('error');
    child.info('dropped');
    child.error('kept');
    await settle();
    expect(out.records.map((r) => [r.message, r.requestId])).toEqual([['kept', 'r-1']]);
  });
});

describe('an Error logged alone on a transport with a format of its own (winston #1880)', () => {
  afterEach(() => resetLogging());

  // Plain winston 3.19, the same transport format on a Console transport: `undefined | undefined` (the transport
  // formats `Object.assign({}, err)`, which has no message and no stack), and `{"level":"error"}` with json().
  const perTransport = (): winston.Logform.Format =>
    format.combine(
      format.errors({ stack: true }),
      format.printf((i) => `${String(i.message)} | ${String(i.stack).split('\n')[0]}`),
    );

  it('a foreign transport (the stream path) gets the message and the stack', async () => {
    const t = new MemoryTransport({ format: perTransport() });
    const log = createModuleLogger('errs', { level: 'DEBUG', transports: [t], propagate: false });
    log.error(new Error('bare'));
    await settle();
    expect(t.lines).toEqual(['bare | Error: bare']);
  });

  it("the bundle's own file transport (the direct path) writes them too, and json() shows them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-1880-'));
    try {
      const file = path.join(dir, 'app.log');
      const json = path.join(dir, 'app.json');
      const log = createModuleLogger('errs', {
        level: 'DEBUG',
        propagate: false,
        transports: [
          new RotatingFileTransport({ filename: file, format: perTransport() }),
          new RotatingFileTransport({ filename: json, format: format.json() }),
        ],
      });
      const err = new Error('bare');
      log.error(err);
      for (const t of log.transports) (t as RotatingFileTransport).flushSync();
      expect(fs.readFileSync(file, 'utf8')).toBe('bare | Error: bare\n');
      const out = JSON.parse(fs.readFileSync(json, 'utf8')) as Record<string, unknown>;
      expect(out).toMatchObject({ level: 'error', message: 'bare', stack: err.stack });
    } finally {
      resetLogging();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("child() loggers: winston's `level` is the child's own, Python's methods act on the shared logger", () => {
  beforeEach(() => {
    delete process.env.LOG_LEVEL;
    delete process.env.LOG_LEVELS;
    resetLogging();
  });
  afterAll(() => resetLogging());

  it('child.level = x on plain winston 3.19 leaves the parent at its level (the reference)', async () => {
    // winston's child() is Object.create(parent): the assignment makes an own `level` on the child, the
    // parent keeps 'debug' and its debug line is delivered. (winston then ignores the child's level when
    // filtering: the child's records are judged by the parent in its write(); a module logger filters
    // the child's own calls by it, which is what the assignment asks for.)
    const out = new MemoryTransport();
    const log = winston.createLogger({ level: 'debug', transports: [out] });
    const c = log.child({ rid: 1 });
    c.level = 'error';
    log.debug('parent debug');
    await settle();
    expect([log.level, c.level]).toEqual(['debug', 'error']);
    expect(out.records.map((r) => r.message)).toEqual(['parent debug']);
    const added = new MemoryTransport();
    c.add(added); // pipes the parent's stream: the parent has the transport too
    expect(log.transports).toContain(added);
  });

  it("child.level = x filters the calls made through that child only and never changes the parent's level", async () => {
    const out = new MemoryTransport({ format: pythonFormat('%(levelname)s:%(message)s') });
    const log = createModuleLogger('cl', { level: 'DEBUG', transports: [out], propagate: false });
    const c = log.child({ rid: 1 });
    c.level = 'error';
    log.debug('parent debug');
    c.info('child info: dropped');
    c.error('child error');
    c.log('info', 'child log(level): dropped');
    c.log({ level: 'warn', message: 'child log(info): dropped' });
    const grand = c.child({ rid: 2 }); // inherits the child's level, as a winston child inherits `level`
    grand.warn('grandchild warn: dropped');
    grand.critical('grandchild critical');
    await settle();
    expect([log.level, log.levelno, c.level, grand.level]).toEqual(['debug', 10, 'error', 'error']);
    expect([
      log.isDebugEnabled(),
      c.isDebugEnabled(),
      c.isEnabledFor('ERROR'),
      c.isLevelEnabled('warn'),
    ]).toEqual([true, false, true, false]);
    // A level change on the parent does not undo the child's own level; 'notset' makes the child follow again.
    log.setLevel('WARNING');
    c.error('child error 2');
    c.level = 'notset';
    c.warn('child warn, following the parent');
    c.info('child info, dropped by the parent level');
    await settle();
    expect(out.lines).toEqual([
      'DEBUG:parent debug',
      'ERROR:child error',
      'CRITICAL:grandchild critical',
      'ERROR:child error 2',
      'WARNING:child warn, following the parent',
    ]);
    expect(out.records.map((r) => r.rid)).toEqual([undefined, 1, 2, 1, 1]);
    expect(() => {
      c.level = 'loud';
    }).toThrow(/"loud"/);
  });

  it('child.setLevel() and child.addHandler() act on the shared logger (CPython LoggerAdapter, winston child.add)', async () => {
    // CPython: LoggerAdapter.setLevel(level) is self.logger.setLevel(level). winston: child.add(t) pipes the
    // parent's stream (the child has no stream of its own), so the parent gains the transport too.
    const out = new MemoryTransport({ format: pythonFormat('%(name)s:%(levelname)s:%(message)s') });
    const log = createModuleLogger('cs', { level: 'DEBUG', propagate: false });
    const c = log.child({ rid: 1 });
    c.addHandler(out);
    c.setLevel('ERROR');
    c.propagate = true;
    expect(log.handlers).toContain(out);
    expect(log.propagate).toBe(true);
    expect(log.level).toBe('error');
    log.warning('dropped by the shared level');
    log.error('shared');
    log.propagate = false;
    await settle();
    expect(out.lines).toEqual(['cs:ERROR:shared']);
  });
});

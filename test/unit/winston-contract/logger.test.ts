import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import isStream from 'is-stream';
import type { TransformableInfo } from 'logform';
import { MESSAGE, SPLAT } from 'triple-beam';
import winston from 'winston';
import Transport from 'winston-transport';
import {
  VARIANTS,
  collector,
  createLoggerWith,
  mockTransport,
  settle,
  type AnyLogger,
  type Variant,
} from './contract-helpers';
import { captureStderr } from '../../helpers/capture-stderr';

// Port of winston 3.19.0's test/unit/winston/logger.test.js. Each test runs on plain winston (the port is
// faithful) and on a module logger (the bundle honours winston's Logger contract). Where Python's model
// deliberately differs, the module variant asserts the Python behaviour and the test name says so.

const { format } = winston;
let logDir: string;

beforeAll(() => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'winston-contract-'));
});
afterAll(() => fs.rmSync(logDir, { recursive: true, force: true }));

/** A transport whose log() is the test's, as winston's tests build them with `new TransportStream({ log })`. */
function transportWith(level: string | undefined, log: (info: TransformableInfo) => void): Transport {
  return new Transport({
    ...(level === undefined ? {} : { level }),
    log(info: TransformableInfo, next: () => void) {
      log(info);
      next();
    },
  });
}

function fileTransport(name: string, level?: string): winston.transport {
  return new winston.transports.File({
    filename: path.join(logDir, name),
    ...(level === undefined ? {} : { level }),
  });
}

function closeAll(transports: readonly winston.transport[]): void {
  for (const t of transports) t.close?.();
}

const call = (logger: AnyLogger, method: string, ...args: unknown[]): unknown =>
  (logger[method] as (...a: unknown[]) => unknown)(...args);

describe.each(VARIANTS)('Logger Instance ($kind)', (variant: Variant) => {
  let errorSpy: jest.SpyInstance;
  beforeEach(() => {
    variant.reset();
    errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errorSpy.mockRestore());

  describe('Configuration', () => {
    it('.configure()', () => {
      const logger = variant.create({ transports: [new winston.transports.Console()] });
      expect(logger.transports).toHaveLength(1);
      expect((logger.transports[0] as { name?: string } | undefined)?.name).toBe('console');
      (logger.configure as () => void)();
      expect(logger.transports).toHaveLength(0);
    });

    it('.configure({ transports })', () => {
      const logger = variant.create();
      expect(logger.transports).toHaveLength(0);
      logger.configure({ transports: [new winston.transports.Console()] });
      expect(logger.transports).toHaveLength(1);
      expect((logger.transports[0] as { name?: string } | undefined)?.name).toBe('console');
    });

    it('.configure({ transports, format })', () => {
      const logger = variant.create();
      const before = logger.format;
      expect(logger.transports).toHaveLength(0);
      logger.configure({ transports: [new winston.transports.Console()], format: winston.format.json() });
      expect(logger.transports).toHaveLength(1);
      expect((logger.transports[0] as { name?: string } | undefined)?.name).toBe('console');
      expect(logger.format).not.toBe(before);
    });
  });

  describe('Transports', () => {
    describe('add', () => {
      it('should throw error when adding an invalid transport', () => {
        const logger = variant.create();
        expect(() => logger.add(5 as never)).toThrow(/invalid transport/i);
      });

      it('should add the expected transport', async () => {
        const logger = variant.create();
        const seen: TransformableInfo[] = [];
        logger.add(transportWith(undefined, (info) => seen.push(info)));
        logger.log({ message: 'foo', level: 'info' });
        await settle();
        expect(seen).toHaveLength(1);
        expect(seen[0]?.message).toBe('foo');
        expect(seen[0]?.level).toBe('info');
        expect(JSON.parse(seen[0]?.[MESSAGE as never] as string)).toEqual({ level: 'info', message: 'foo' });
      });

      it('should allow adding multiple transports', () => {
        const transports = [
          fileTransport('filelog-info.log', 'info'),
          fileTransport('filelog-error.log', 'error'),
        ];
        const logger = variant.create({ transports });
        expect(logger.transports).toHaveLength(2);
        expect(logger.transports.map((t) => (t as { transport?: unknown }).transport ?? t)).toEqual(
          transports,
        );
        closeAll(transports);
      });
    });

    describe('remove', () => {
      it('should do nothing if transport was not added', () => {
        const transports = [new winston.transports.Console(), fileTransport('filelog.log')];
        const logger = variant.create({ transports }).remove(new winston.transports.Console());
        expect(logger.transports).toHaveLength(2);
        expect(logger.transports.map((t) => (t as { transport?: unknown }).transport ?? t)).toEqual(
          transports,
        );
        closeAll(transports);
      });

      it('should remove transport when matching one is found', () => {
        const transports = [new winston.transports.Console(), fileTransport('filelog.log')];
        const logger = variant.create({ transports });
        expect(logger.transports).toHaveLength(2);
        logger.remove(transports[0] as winston.transport);
        expect(logger.transports).toHaveLength(1);
        expect(logger.transports[0]).toBe(transports[1]);
        closeAll(transports);
      });

      it('should remove specified logger even when duplicate exists', () => {
        const transports = [
          fileTransport('filelog-info.log', 'info'),
          fileTransport('filelog-error.log', 'error'),
        ];
        const logger = variant.create({ transports });
        logger.remove(transports[0] as winston.transport);
        expect(logger.transports).toHaveLength(1);
        expect(logger.transports[0]).toBe(transports[1]);
        closeAll(transports);
      });
    });

    describe('clear', () => {
      it('should do nothing when no transports exist', () => {
        const logger = variant.create();
        expect(logger.transports).toHaveLength(0);
        logger.clear();
        expect(logger.transports).toHaveLength(0);
      });

      it('should remove all transports', () => {
        const logger = variant.create({ transports: [new winston.transports.Console()] });
        expect(logger.transports).toHaveLength(1);
        logger.clear();
        expect(logger.transports).toHaveLength(0);
      });
    });

    describe('stream', () => {
      it('should return a log stream for all transports', () => {
        const logger = variant.create();
        expect(isStream(logger.stream({}))).toBe(true);
      });
    });
  });

  describe('Log Levels', () => {
    it('report unknown levels', async () => {
      const logger = variant.create();
      const printed = await captureStderr(() => logger.log({ message: 'foo', level: 'bar' }));
      expect(errorSpy.mock.calls[0]).toEqual(['[winston] Unknown logger level: %s', 'bar']);
      // Without a transport, a module logger's record still reaches the tree's automatic console (Python's
      // lastResort / default handler); winston drops it.
      if (variant.kind === 'winston') expect(printed).toBe('');
      else expect(printed).toMatch(/ - contract\.logger\d+ - BAR - foo\n$/);
    });

    it('the unknown-level report repeats on winston, comes once per level name on a module logger (difference)', () => {
      const logger = variant.create({ transports: [mockTransport((_i, _e, next) => next())] });
      logger.log({ message: 'foo', level: 'qux' });
      logger.log({ message: 'foo', level: 'qux' });
      const reports = errorSpy.mock.calls.filter((c) => c[0] === '[winston] Unknown logger level: %s');
      expect(reports).toHaveLength(variant.kind === 'winston' ? 2 : 1);
    });

    it('.<level>()', async () => {
      const { records, write } = collector();
      const logger = createLoggerWith(variant, write);
      (logger.info as unknown as () => void)();
      logger.info('');
      await settle();
      expect(records).toHaveLength(2);
      for (const info of records) {
        expect(info.level).toBe('info');
        expect(info.message).toBe('');
        expect(typeof info[MESSAGE as never]).toBe('string');
        expect(JSON.parse(info[MESSAGE as never] as string)).toEqual({ level: 'info', message: '' });
      }
    });

    it('default levels', async () => {
      const logger = variant.create();
      const seen: Array<[string, TransformableInfo]> = [];
      expect(typeof logger.info).toBe('function');
      expect(typeof logger.debug).toBe('function');
      logger
        .add(transportWith('info', (info) => seen.push(['info', info])))
        .add(transportWith('debug', (info) => seen.push(['debug', info])))
        .log({ message: 'foo', level: 'debug' });
      await settle();
      // The transport on level info is never called; the one on debug gets the record.
      expect(seen.map(([t]) => t)).toEqual(['debug']);
      const info = seen[0]?.[1] as TransformableInfo;
      expect(info.message).toBe('foo');
      expect(info.level).toBe('debug');
      expect(JSON.parse(info[MESSAGE as never] as string)).toEqual({ level: 'debug', message: 'foo' });
    });

    it('custom levels', async () => {
      const logger = variant.create({ levels: { bad: 0, test: 1, ok: 2 } });
      const seen: Array<[string, TransformableInfo]> = [];
      expect(typeof logger.bad).toBe('function');
      expect(typeof logger.test).toBe('function');
      expect(typeof logger.ok).toBe('function');
      logger
        .add(transportWith('bad', (info) => seen.push(['bad', info])))
        .add(transportWith('ok', (info) => seen.push(['ok', info])))
        .log({ message: 'foo', level: 'test' });
      await settle();
      // The transport on level "bad" is never called.
      expect(seen.map(([t]) => t)).toEqual(['ok']);
      const info = seen[0]?.[1] as TransformableInfo;
      expect(info.message).toBe('foo');
      expect(info.level).toBe('test');
      expect(JSON.parse(info[MESSAGE as never] as string)).toEqual({ level: 'test', message: 'foo' });
    });

    it('sets transports levels', async () => {
      const seen: TransformableInfo[] = [];
      const logger = variant.create({ transports: [transportWith(undefined, (info) => seen.push(info))] });
      expect(typeof logger.error).toBe('function');
      expect(typeof logger.info).toBe('function');
      logger.level = 'error';
      // "info" never arrives.
      logger.log({ message: 'bar', level: 'info' }).log({ message: 'foo', level: 'error' });
      await settle();
      expect(seen).toHaveLength(1);
      expect(seen[0]?.message).toBe('foo');
      expect(seen[0]?.level).toBe('error');
      expect(JSON.parse(seen[0]?.[MESSAGE as never] as string)).toEqual({ level: 'error', message: 'foo' });
    });

    it('a transport whose level is below its logger level: winston delivers, a module logger does not (difference)', async () => {
      const seen: TransformableInfo[] = [];
      const logger = variant.create({
        level: 'info',
        transports: [transportWith('debug', (i) => seen.push(i))],
      });
      logger.debug('below the logger level');
      logger.log({ level: 'debug', message: 'info object below the logger level' });
      await settle();
      expect(seen.map((i) => i.message)).toEqual(
        variant.kind === 'winston' ? ['below the logger level', 'info object below the logger level'] : [],
      );
    });

    describe('Log Levels Enabled', () => {
      const npmNames = ['error', 'warn', 'info', 'verbose', 'debug', 'silly'];
      const enabled = (logger: AnyLogger, names: string[]): Record<string, [boolean, boolean]> =>
        Object.fromEntries(
          names.map((n) => {
            const method = `is${n[0]?.toUpperCase()}${n.slice(1)}Enabled`;
            expect(typeof logger[method]).toBe('function');
            return [n, [logger.isLevelEnabled(n), call(logger, method) as boolean]];
          }),
        );
      const expectHighest = (logger: AnyLogger, winstonValue: number): void => {
        expect(typeof logger.getHighestLogLevel).toBe('function');
        // winston answers in its own numbering; a module logger's levels are Python numbers (not asserted here).
        if (variant.kind === 'winston')
          expect((logger.getHighestLogLevel as () => number)()).toBe(winstonValue);
      };
      const both = (v: boolean): [boolean, boolean] => [v, v];

      it('default levels', () => {
        const logger = variant.create({
          level: 'verbose',
          levels: winston.config.npm.levels,
          transports: [new winston.transports.Console()],
        });
        expectHighest(logger, 4);
        expect(typeof logger.isLevelEnabled).toBe('function');
        expect(enabled(logger, npmNames)).toEqual({
          error: both(true),
          warn: both(true),
          info: both(true),
          verbose: both(true),
          debug: both(false),
          silly: both(false),
        });
      });

      it('default levels, transport override (difference: the logger level gates first on a module logger)', () => {
        const transport = new winston.transports.Console();
        transport.level = 'debug';
        const logger = variant.create({
          level: 'info',
          levels: winston.config.npm.levels,
          transports: [transport],
        });
        expectHighest(logger, 5);
        // winston: a transport on debug enables debug; Python: the logger's own level (info) decides.
        const debug = variant.kind === 'winston';
        expect(enabled(logger, npmNames)).toEqual({
          error: both(true),
          warn: both(true),
          info: both(true),
          verbose: both(debug),
          debug: both(debug),
          silly: both(false),
        });
      });

      it('default levels, no transports', () => {
        const logger = variant.create({
          level: 'verbose',
          levels: winston.config.npm.levels,
          transports: [],
        });
        expectHighest(logger, 4);
        expect(enabled(logger, npmNames)).toEqual({
          error: both(true),
          warn: both(true),
          info: both(true),
          verbose: both(true),
          debug: both(false),
          silly: both(false),
        });
      });

      it('custom levels', () => {
        const logger = variant.create({
          level: 'test',
          levels: { bad: 0, test: 1, ok: 2 },
          transports: [new winston.transports.Console()],
        });
        expectHighest(logger, 1);
        expect(enabled(logger, ['bad', 'test', 'ok'])).toEqual({
          bad: both(true),
          test: both(true),
          ok: both(false),
        });
      });

      it('custom levels, no transports', () => {
        const logger = variant.create({ level: 'test', levels: { bad: 0, test: 1, ok: 2 }, transports: [] });
        expectHighest(logger, 1);
        expect(enabled(logger, ['bad', 'test', 'ok'])).toEqual({
          bad: both(true),
          test: both(true),
          ok: both(false),
        });
      });

      it('custom levels, transport override (difference: the logger level gates first on a module logger)', () => {
        const transport = new winston.transports.Console();
        transport.level = 'ok';
        const logger = variant.create({
          level: 'bad',
          levels: { bad: 0, test: 1, ok: 2 },
          transports: [transport],
        });
        expectHighest(logger, 2);
        const viaTransport = variant.kind === 'winston';
        expect(enabled(logger, ['bad', 'test', 'ok'])).toEqual({
          bad: both(true),
          test: both(viaTransport),
          ok: both(viaTransport),
        });
      });
    });
  });

  describe('Transport Events', () => {
    it(`'finish' event awaits transports to emit 'finish'`, async () => {
      const transports = [0, 1, 2].map(() => transportWith(undefined, () => undefined));
      const finished: boolean[] = [];
      const logger = variant.create({ transports });
      transports.forEach((t, i) => t.on('finish', () => (finished[i] = true)));
      // End the last transport first: a mixed finished state.
      transports[2]?.end();
      let seenAtFinish: boolean[] | undefined;
      logger.on('finish', () => (seenAtFinish = [...finished]));
      setImmediate(() => logger.end());
      // Enough event-loop turns for every transport to end; a logger that never finishes fails here, fast.
      await settle(20);
      expect(seenAtFinish).toEqual([true, true, true]);
    });

    it('error', () => {
      const consoleTransport = new winston.transports.Console();
      const logger = variant.create({ transports: [consoleTransport] });
      const events: unknown[][] = [];
      logger.on('error', (err: unknown, transport: unknown) => events.push([err, transport]));
      const err = new Error('transport failed');
      consoleTransport.emit('error', err);
      expect(events).toHaveLength(1);
      expect(events[0]?.[0]).toBe(err);
      expect(typeof events[0]?.[1]).toBe('object');
    });

    it('warn', () => {
      const consoleTransport = new winston.transports.Console();
      const logger = variant.create({ transports: [consoleTransport] });
      const events: unknown[][] = [];
      logger.on('warn', (err: unknown, transport: unknown) => events.push([err, transport]));
      const err = new Error('transport warns');
      consoleTransport.emit('warn', err);
      expect(events).toHaveLength(1);
      expect(events[0]?.[0]).toBe(err);
      expect(typeof events[0]?.[1]).toBe('object');
    });
  });

  describe('Formats', () => {
    // winston captures the Console transport's stdout with std-mocks; a Stream transport into a collecting
    // Writable shows the same thing without patching process.stdout.
    it('rethrows errors from user-defined formats', async () => {
      const written: string[] = [];
      const stream = new Writable({
        objectMode: true,
        write(info: TransformableInfo, _enc, next) {
          written.push(info[MESSAGE as never] as string);
          next();
        },
      });
      const logger = variant.create({
        transports: [new winston.transports.Stream({ stream })],
        format: winston.format.printf((info) => {
          if (info.message === 'ENDOR') throw new Error('ITS A TRAP!');
          return info.message as string;
        }),
      });
      const expected = [
        'Now witness the power of the fully armed and operational logger',
        'Consider the philosophical and metaphysical – BANANA BANANA BANANA',
        'I was god once. I saw – you were doing well until everyone died.',
      ];
      if (variant.kind === 'winston') {
        expect(() => logger.info('ENDOR')).toThrow('ITS A TRAP!');
        expected.forEach((msg) => logger.info(msg));
        await settle();
        expect(written).toEqual(expected);
        return;
      }
      // Difference: a throwing format is reported once on stderr and the record is kept as it was (the
      // transport has no format of its own, so it renders winston's default json()): logging never throws.
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        expect(() => logger.info('ENDOR')).not.toThrow();
        expected.forEach((msg) => logger.info(msg));
        await settle();
        expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/ITS A TRAP!/);
      } finally {
        stderr.mockRestore();
      }
      expect(written).toEqual([JSON.stringify({ level: 'info', message: 'ENDOR' }), ...expected]);
    });
  });

  describe('Profiling', () => {
    it('ending profiler with object argument should be included in output', async () => {
      const { records, write } = collector();
      const logger = createLoggerWith(variant, write);
      logger.profile('testing1');
      await settle(1);
      logger.profile('testing1', { something: 'ok', level: 'info' });
      await settle();
      expect(records).toHaveLength(1);
      const info = records[0] as TransformableInfo;
      expect(info.something).toBe('ok');
      expect(info.level).toBe('info');
      expect(typeof info.durationMs).toBe('number');
      expect(info.message).toBe('testing1');
      expect(typeof info[MESSAGE as never]).toBe('string');
    });

    it('calling profile with a callback function should not make a difference', async () => {
      const { records, write } = collector();
      const logger = createLoggerWith(variant, write);
      const unexpected = jest.fn();
      (logger.profile as (id: string, cb: () => void) => void)('testing2', unexpected);
      await settle(1);
      logger.profile('testing2', { something: 'ok', level: 'info' });
      await settle();
      expect(unexpected).not.toHaveBeenCalled();
      expect(records).toHaveLength(1);
      expect(records[0]?.something).toBe('ok');
      expect(records[0]?.level).toBe('info');
      expect(typeof records[0]?.durationMs).toBe('number');
      expect(records[0]?.message).toBe('testing2');
      expect(typeof records[0]?.[MESSAGE as never]).toBe('string');
    });

    it('should stop a timer when `done` is called on it', async () => {
      const { records, write } = collector();
      const logger = createLoggerWith(variant, write);
      const timer = logger.startTimer();
      await settle(1);
      timer.done({ message: 'testing1', something: 'ok', level: 'info' });
      await settle();
      expect(records).toHaveLength(1);
      expect(records[0]?.something).toBe('ok');
      expect(records[0]?.level).toBe('info');
      expect(typeof records[0]?.durationMs).toBe('number');
      expect(records[0]?.message).toBe('testing1');
      expect(typeof records[0]?.[MESSAGE as never]).toBe('string');
    });
  });

  describe('Logging non-primitive data types', () => {
    describe('.log', () => {
      it('.log(new Error()) uses Error instance as info', async () => {
        const err = Object.assign(new Error('test'), { level: 'info' });
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log(err as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]).toBeInstanceOf(Error);
        expect(records[0]).toBe(err);
      });

      it(".info('Hello') preserve meta without splat format", async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.info('Hello', { label: 'world' });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.label).toBe('world');
      });

      it(".info('Hello %d') does not mutate unnecessarily with string interpolation tokens", async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.info('Hello %j', { label: 'world' }, { extra: true });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.label).toBeUndefined();
      });

      it(".info('Hello') and .info('Hello %d') preserve meta with splat format", async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write, format.splat());
        logger.info('Hello', { label: 'world' });
        logger.info('Hello %d', 100, { label: 'world' });
        await settle();
        expect(records).toHaveLength(2);
        expect(records.map((i) => i.label)).toEqual(['world', 'world']);
      });
    });

    describe('.info', () => {
      it('.info(undefined) creates info with { message: undefined }', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.info(undefined as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBeUndefined();
      });

      it('.info(null) creates info with { message: null }', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.info(null as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBeNull();
      });

      it('.info(new Error()) uses Error instance as info', async () => {
        const err = new Error('test');
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.info(err as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]).toBeInstanceOf(Error);
        expect(records[0]).toBe(err);
      });
    });
  });

  describe('Metadata Precedence', () => {
    describe('Should support child loggers & defaultMeta', () => {
      it('sets child meta for text messages correctly', async () => {
        const { records, write } = collector();
        const logger = variant.create({ transports: [mockTransport(write)] });
        logger.child({ requestId: '451' }).info('dummy message');
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect(records[0]?.message).toBe('dummy message');
        expect(records[0]?.requestId).toBe('451');
      });

      it('sets child meta for json messages correctly', async () => {
        const { records, write } = collector();
        const logger = variant.create({ transports: [mockTransport(write)] });
        logger.child({ requestId: '451' }).info({ text: 'dummy' } as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect((records[0]?.message as { text: string }).text).toBe('dummy');
        expect(records[0]?.requestId).toBe('451');
      });

      it('merges child and provided meta correctly', async () => {
        const { records, write } = collector();
        const logger = variant.create({ transports: [mockTransport(write)] });
        logger.child({ service: 'user-service' }).info('dummy message', { requestId: '451' });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect(records[0]?.message).toBe('dummy message');
        expect(records[0]?.service).toBe('user-service');
        expect(records[0]?.requestId).toBe('451');
      });

      it('provided meta take precedence over defaultMeta', async () => {
        const { records, write } = collector();
        const logger = variant.create({
          defaultMeta: { service: 'user-service' },
          transports: [mockTransport(write)],
        });
        logger.info('dummy message', { requestId: '451', service: 'audit-service' });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBe('dummy message');
        expect(records[0]?.service).toBe('audit-service');
        expect(records[0]?.requestId).toBe('451');
      });

      it('provided meta take precedence over child meta', async () => {
        const { records, write } = collector();
        const logger = variant.create({ transports: [mockTransport(write)] });
        logger
          .child({ service: 'user-service' })
          .info('dummy message', { requestId: '451', service: 'audit-service' });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBe('dummy message');
        expect(records[0]?.service).toBe('audit-service');
        expect(records[0]?.requestId).toBe('451');
      });

      it('handles error stack traces in child loggers correctly', async () => {
        const { records, write } = collector();
        const logger = variant.create({ transports: [mockTransport(write)] });
        logger.child({ service: 'user-service' }).error(Error('dummy error') as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('error');
        expect(records[0]?.message).toBe('dummy error');
        expect(records[0]?.stack).toContain('logger.test.ts');
        expect(records[0]?.service).toBe('user-service');
      });

      it('defaultMeta() autobinds correctly', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        const log = logger.info;
        log('test');
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBe('test');
      });
    });
  });

  describe('Backwards Compatability', () => {
    describe('Winston V2 Log', () => {
      it('.log(level, message)', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', 'Some super awesome log message');
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect(records[0]?.message).toBe('Some super awesome log message');
        expect(typeof records[0]?.[MESSAGE as never]).toBe('string');
      });

      it('.log(level, undefined) creates info with { message: undefined }', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', undefined as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBeUndefined();
      });

      it('.log(level, null) creates info with { message: null }', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', null as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBeNull();
      });

      it('.log(level, new Error()) uses Error instance as info', async () => {
        const err = new Error('test');
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', err as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]).toBeInstanceOf(Error);
        expect(records[0]).toBe(err);
      });

      it('.log(level, message, meta)', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', 'Some super awesome log message', { one: 2 });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect(records[0]?.message).toBe('Some super awesome log message');
        expect(records[0]?.one).toBe(2);
        expect(typeof records[0]?.[MESSAGE as never]).toBe('string');
      });

      it('.log(level, formatStr, ...splat)', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(
          variant,
          write,
          format.combine(
            format.splat(),
            format.printf((info) => `${info.level}: ${String(info.message)}`),
          ),
        );
        logger.log('info', '%d%% such %s %j', 100, 'wow', { much: 'javascript' });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.level).toBe('info');
        expect(records[0]?.message).toBe('100% such wow {"much":"javascript"}');
        expect(records[0]?.[SPLAT as never]).toEqual([100, 'wow', { much: 'javascript' }]);
        expect(records[0]?.[MESSAGE as never]).toBe('info: 100% such wow {"much":"javascript"}');
      });

      it('.log(level, formatStr, ...splat, meta)', async () => {
        const { records, write } = collector();
        const logger = createLoggerWith(
          variant,
          write,
          format.combine(
            format.splat(),
            format.printf(
              (info) =>
                `${info.level}: ${String(info.message)} ${JSON.stringify({ thisIsMeta: info.thisIsMeta })}`,
            ),
          ),
        );
        logger.log('info', '%d%% such %s %j', 100, 'wow', { much: 'javascript' }, { thisIsMeta: true });
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]?.message).toBe('100% such wow {"much":"javascript"}');
        expect(records[0]?.[SPLAT as never]).toEqual([100, 'wow', { much: 'javascript' }]);
        expect(records[0]?.thisIsMeta).toBe(true);
        expect(records[0]?.[MESSAGE as never]).toBe(
          'info: 100% such wow {"much":"javascript"} {"thisIsMeta":true}',
        );
      });

      it('.log(level, new Error()) creates info with error cause', async () => {
        const errCause = new Error('error cause');
        const err = new Error('test', { cause: errCause });
        const { records, write } = collector();
        const logger = createLoggerWith(variant, write);
        logger.log('info', err as never);
        await settle();
        expect(records).toHaveLength(1);
        expect(records[0]).toBeInstanceOf(Error);
        expect(records[0]).toBe(err);
        expect((records[0] as unknown as Error).cause).toBe(errCause);
      });
    });
  });
});

import { once } from 'node:events';
import type { TransformableInfo } from 'logform';
import winston from 'winston';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { MemoryTransport } from '../../helpers/memory-transport';
import { captureStderr, tick } from '../../helpers/capture-stderr';

beforeEach(() => {
  delete process.env.LOG_LEVELS;
  delete process.env.LOG_LEVEL;
  resetLogging();
});
afterAll(() => resetLogging());

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const fmt = (): ReturnType<typeof pythonFormat> => pythonFormat('%(name)s:%(levelname)s:%(message)s');

describe("winston's stream state, built on first use", () => {
  it('a logger that only logs never builds it', () => {
    const t = new MemoryTransport({ format: fmt() });
    const log = createModuleLogger('lazy', { transports: [t] });
    log.info('a');
    log.log('warning', 'b');
    log.child({ k: 1 }).error('c');
    expect(t.lines).toEqual(['lazy:INFO:a', 'lazy:WARNING:b', 'lazy:ERROR:c']);
    for (const key of ['_writableState', '_readableState', '_transformState']) {
      expect(hasOwn(log, key)).toBe(false);
    }
  });

  it('pipe() builds it and the piped stream gets every record', async () => {
    const log = createModuleLogger('piped');
    const piped = new MemoryTransport({ format: fmt() });
    log.add(new MemoryTransport());
    log.pipe(piped);
    expect(hasOwn(log, '_writableState')).toBe(true);
    log.info('one');
    log.warning('two');
    await tick();
    expect(piped.lines).toEqual(['piped:INFO:one', 'piped:WARNING:two']);
  });

  it("end() emits 'finish' and ends the logger's own transports", async () => {
    const t = new MemoryTransport();
    const log = createModuleLogger('ending', { transports: [t] });
    log.info('before');
    const finished = once(log, 'finish');
    const transportFinished = once(t, 'finish');
    log.end();
    await finished;
    await transportFinished;
    expect(t.records).toHaveLength(1);
  });

  it("on('data') receives every record, as on a winston logger", async () => {
    const log = createModuleLogger('data');
    log.add(new MemoryTransport());
    const seen: TransformableInfo[] = [];
    log.on('data', (info: TransformableInfo) => seen.push(info));
    log.info('streamed');
    await tick();
    expect(seen.map((i) => i.message)).toEqual(['streamed']);
  });

  it('exceptions.handle(t) pipes uncaught exceptions to the transport', async () => {
    const log = createModuleLogger('crashy', { exitOnError: false, transports: [new MemoryTransport()] });
    const handler = new MemoryTransport();
    log.exceptions.handle(handler);
    try {
      expect(hasOwn(log, '_readableState')).toBe(true);
      log.info('not an exception');
      (log.exceptions as unknown as { _uncaughtException(err: Error): void })._uncaughtException(
        new Error('kaboom'),
      );
      await tick();
      await tick();
    } finally {
      log.exceptions.unhandle();
    }
    expect(handler.records).toHaveLength(1);
    expect(handler.records[0]).toMatchObject({ exception: true, level: 'error' });
    expect(String(handler.records[0]?.message)).toContain('uncaughtException: kaboom');
  });

  it('a write after end() is reported once and dropped, never thrown', async () => {
    const t = new MemoryTransport();
    const log = createModuleLogger('late', { transports: [t] });
    log.end();
    const err = await captureStderr(() => {
      expect(() => log.info('after end 1')).not.toThrow();
      expect(() => log.error('after end 2')).not.toThrow();
    });
    expect(err.match(/after logger\.end\(\)/g)).toHaveLength(1);
    expect(err).toContain('"late"');
    expect(t.records).toHaveLength(0);
  });
});

describe('level methods', () => {
  it('work detached and keep their logger', async () => {
    const t = new MemoryTransport({ format: fmt() });
    const log = createModuleLogger('detached', { transports: [t] });
    const { info, error } = log;
    const warning = log.warning;
    info('i %d', 1);
    error('e');
    Reflect.apply(warning, undefined, ['w']);
    await Promise.resolve('from a promise').then(log.debug as (message: unknown) => unknown);
    expect(t.lines).toEqual([
      'detached:INFO:i 1',
      'detached:ERROR:e',
      'detached:WARNING:w',
      'detached:DEBUG:from a promise',
    ]);
  });

  it('child() at depth 3 keeps every binding, and the child is still the logger', () => {
    const t = new MemoryTransport({ format: pythonFormat('%(name)s %(a)s %(b)s %(c)s %(message)s') });
    const log = createModuleLogger('kids', { transports: [t] });
    const c3 = log.child({ a: 1 }).child({ b: 2 }).child({ c: 3 });
    c3.info('deep');
    c3.log('warning', 'via log');
    expect(t.lines).toEqual(['kids 1 2 3 deep', 'kids 1 2 3 via log']);
    expect(c3).toBeInstanceOf(winston.Logger);
    expect(t.records[0]).toMatchObject({ a: 1, b: 2, c: 3 });
  });

  it('a method assigned by the user replaces it on that object only', () => {
    const t = new MemoryTransport({ format: fmt() });
    const one = createModuleLogger('one', { transports: [t] });
    const two = createModuleLogger('two', { transports: [t] });
    const calls: unknown[] = [];
    const replacement = ((...args: unknown[]) => {
      calls.push(args);
      return one;
    }) as typeof one.info;
    one.info = replacement;
    expect(one.info).toBe(replacement);
    one.info('replaced');
    two.info('normal');
    expect(calls).toEqual([['replaced']]);
    expect(t.lines).toEqual(['two:INFO:normal']);
    expect(two.info).not.toBe(replacement);
  });

  it('are not own enumerable keys of the logger', () => {
    const log = createModuleLogger('keys', { transports: [new MemoryTransport()] });
    log.info('use them first');
    void log.isDebugEnabled();
    const keys = Object.keys(log);
    for (const m of [
      'critical',
      'error',
      'warning',
      'warn',
      'info',
      'debug',
      'exception',
      'log',
      'isInfoEnabled',
    ]) {
      expect(keys).not.toContain(m);
    }
  });
});

describe('level checks (the disabled call and isEnabledFor)', () => {
  it("a method used once is the logger's own non-enumerable property, read by its child() copies too", () => {
    const t = new MemoryTransport({ format: fmt() });
    const log = createModuleLogger('own', { transports: [t] });
    const child = log.child({ k: 1 });
    expect(hasOwn(log, 'debug')).toBe(false);
    const debug = child.debug;
    expect(hasOwn(log, 'debug')).toBe(true);
    expect(hasOwn(child, 'debug')).toBe(false);
    expect(log.debug).toBe(debug);
    expect(Object.getOwnPropertyDescriptor(log, 'debug')).toMatchObject({
      enumerable: false,
      writable: true,
    });
    log.setLevel('DEBUG');
    child.debug('from the child');
    expect(t.records[0]).toMatchObject({ k: 1 });
  });

  it("setLevel on a parent reaches a child's disabled call and guard at once, detached methods included", () => {
    const t = new MemoryTransport({ format: fmt() });
    const parent = createModuleLogger('lv');
    parent.setLevel('INFO');
    const log = createModuleLogger('lv.kid', { transports: [t], propagate: false });
    const { debug, isDebugEnabled } = log;
    const child = log.child({});
    const results: unknown[] = [];
    const probe = (): void => {
      debug('detached');
      child.debug('child');
      results.push([
        log.isEnabledFor('DEBUG'),
        log.isEnabledFor('debug'),
        isDebugEnabled(),
        child.isEnabledFor(10),
      ]);
    };
    probe();
    parent.setLevel('DEBUG');
    probe();
    parent.setLevel('WARNING');
    probe();
    expect(results).toEqual([
      [false, false, false, false],
      [true, true, true, true],
      [false, false, false, false],
    ]);
    expect(t.lines).toEqual(['lv.kid:DEBUG:detached', 'lv.kid:DEBUG:child']);
  });

  it('isEnabledFor takes any spelling and refuses a bad level as before', () => {
    const log = createModuleLogger('spell');
    log.setLevel('INFO');
    expect(
      ['INFO', 'info', 'Info', ' info ', 'WARN', 'notset', 20, '20'].map((l) => log.isEnabledFor(l as never)),
    ).toEqual([true, true, true, true, true, false, true, true]);
    // Object.prototype's names are not levels (the fast table is a plain object).
    for (const bad of ['constructor', 'toString', '__proto__', 'nope']) {
      expect(() => log.isEnabledFor(bad as never)).toThrow(/is not a level/);
    }
    expect(log.isLevelEnabled('constructor')).toBe(false);
  });
});

describe('a wrapped winston.Logger.prototype.write (instrumentation)', () => {
  it('sees every record of a module logger, and what it adds reaches the transport', async () => {
    const proto = winston.Logger.prototype as unknown as Record<string, unknown>;
    const saved = Object.getOwnPropertyDescriptor(proto, 'write');
    const original = proto.write as (this: unknown, ...args: unknown[]) => boolean;
    const seen: string[] = [];
    proto.write = function (this: unknown, info: Record<string, unknown>, ...rest: unknown[]): boolean {
      seen.push(String(info.message));
      info.trace_id = 'abc123';
      return original.call(this, info, ...rest);
    };
    const t = new MemoryTransport({ format: pythonFormat('%(trace_id)s %(message)s') });
    try {
      const log = createModuleLogger('traced', { transports: [t] });
      log.info('method');
      log.log('warning', 'log()');
      log.log({ level: 'error', message: 'log(info)' });
      log.child({ req: 1 }).info('child');
      log.profile('job');
      log.profile('job');
      await tick();
    } finally {
      if (saved === undefined) delete proto.write;
      else Object.defineProperty(proto, 'write', saved);
    }
    expect(seen).toEqual(['method', 'log()', 'log(info)', 'child', 'job']);
    expect(t.lines).toEqual([
      'abc123 method',
      'abc123 log()',
      'abc123 log(info)',
      'abc123 child',
      'abc123 job',
    ]);
  });
});

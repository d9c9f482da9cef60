import isStream from 'is-stream';
import type { TransformableInfo } from 'logform';
import winston from 'winston';
import Transport from 'winston-transport';
import { VARIANTS, plain, settle, type AnyLogger, type Variant } from './contract-helpers';

// Port of winston 3.19.0's test/unit/winston/create-logger.test.js, run on plain winston and on module loggers.

const { format } = winston;

describe.each(VARIANTS)('Create Logger ($kind)', (variant: Variant) => {
  beforeEach(() => variant.reset());

  it('should build a logger with default values (difference: a module logger defaults to NOTSET)', () => {
    const logger = variant.create();
    expect(typeof logger).toBe('object');
    expect(logger).toBeInstanceOf(winston.Logger);
    expect(
      isStream(logger.format as unknown as NodeJS.ReadableStream) || typeof logger.format?.transform,
    ).toBeTruthy();
    expect(logger.exitOnError).toBe(true);
    if (variant.kind === 'winston') {
      expect(logger.level).toBe('info');
    } else {
      // Python: a new logger is NOTSET and inherits the root's level, DEBUG outside production.
      const py = logger as unknown as { levelno: number; getEffectiveLevel(): number };
      expect(py.levelno).toBe(0);
      expect(py.getEffectiveLevel()).toBe(10);
      expect(logger.isLevelEnabled('debug')).toBe(true);
    }
  });

  it('new Logger({ silent: true })', async () => {
    const written: TransformableInfo[] = [];
    const neverLogTo = new Transport({
      log(info: TransformableInfo, next: () => void) {
        written.push(info);
        next();
      },
    });
    const logger = variant.create({ transports: [neverLogTo], silent: true });
    logger.log({ level: 'info', message: 'This should be ignored' });
    await settle();
    expect(written).toEqual([]);
  });

  it('new Logger({ parameters })', () => {
    const myFormat = format((info) => info)();
    const logger = variant.create({ format: myFormat, level: 'error', exitOnError: false, transports: [] });
    expect(logger.format).toBe(myFormat);
    expect(logger.level).toBe('error');
    expect(logger.exitOnError).toBe(false);
    // winston checks `_readableState.pipesCount` (a Node internal); the public view of the same fact:
    expect(logger.transports).toHaveLength(0);
  });

  it('new Logger({ levels }) defines custom methods', () => {
    const myFormat = format((info) => info)();
    const logger = variant.create({
      levels: winston.config.syslog.levels,
      format: myFormat,
      level: 'error',
      exitOnError: false,
      transports: [],
    });
    for (const level of Object.keys(winston.config.syslog.levels))
      expect(typeof logger[level]).toBe('function');
  });

  it('new Logger({ levels }) custom methods are not bound to instance', () => {
    // Difference: winston's level methods never look at the logger's level (its transports do); a module
    // logger's level gates first, as Python's does, so the module variant opens its level to see the calls.
    const level = variant.kind === 'winston' ? 'error' : 'silly';
    const logger = variant.create({ level, exitOnError: false, transports: [] });
    const logs: unknown[][] = [];
    const extendedLogger = Object.create(logger, {
      write: {
        value: (...args: unknown[]) => {
          logs.push(args);
        },
      },
    }) as AnyLogger;
    extendedLogger.log('info', { test: 1 } as never);
    extendedLogger.log('warn', { test: 2 } as never);
    extendedLogger.info('test3');
    extendedLogger.warn('a warning', { with: 'meta', test: 4 });
    expect(logs).toHaveLength(4);
    expect(logs.map((args) => args.map((a) => plain(a as object)))).toEqual([
      [{ test: 1, level: 'info' }],
      [{ test: 2, level: 'warn' }],
      [{ message: 'test3', level: 'info' }],
      [{ with: 'meta', test: 4, level: 'warn', message: 'a warning' }],
    ]);
  });
});

import winston from 'winston';
import { pythonFormat } from '../../../formats/python-format';
import { ConfigError } from '../../../src/errors';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { LoggerAdapter } from '../../../src/logger/logger-adapter';
import type { LoggerAdapterKwargs } from '../../../src/logger/logger-adapter';
import { toLogRecord } from '../../../src/record/record';
import { captureStderr } from '../../helpers/capture-stderr';
import { MemoryTransport } from '../../helpers/memory-transport';

beforeEach(() => resetLogging());
afterAll(() => resetLogging());

function setup() {
  const sink = new MemoryTransport({
    format: pythonFormat({
      format: '%(levelname)s:%(name)s:%(message)s [%(user)s]',
      defaults: { user: '-' },
    }),
  });
  const logger = createModuleLogger('app', { transports: [sink], level: 'DEBUG', propagate: false });
  return { logger, sink };
}

describe('LoggerAdapter', () => {
  it('renders as CPython 3.11’s logging.LoggerAdapter, call for call (test/fixtures/python-logging/logger-adapter.py)', () => {
    const { logger: l, sink } = setup();
    const a = new LoggerAdapter(l, { user: 'alice' });
    a.info('hello %s', 'bob');
    a.info('with extra', { extra: { user: 'carol' } });
    a.warning('warn %d', 3);
    a.log(25, 'lvl25');
    a.debug('dbg');
    a.error('%(who)s mapping %(n)d', { who: 'arg', n: 2 });
    a.critical('crit');
    new LoggerAdapter(a, { user: 'outer' }).info('nested');
    class P extends LoggerAdapter {
      override process(msg: unknown, kwargs: LoggerAdapterKwargs): [unknown, LoggerAdapterKwargs] {
        return [`[${String(this.extra?.user)}] ${String(msg)}`, kwargs];
      }
    }
    new P(l, { user: 'zed' }).info('processed %s', 1);
    new LoggerAdapter(l).info('no extra');
    a.exception('boom');
    l.setLevel(30);
    a.info('dropped');
    expect(sink.lines).toEqual([
      'INFO:app:hello bob [alice]',
      'INFO:app:with extra [alice]',
      'WARNING:app:warn 3 [alice]',
      'Level 25:app:lvl25 [alice]',
      'DEBUG:app:dbg [alice]',
      'ERROR:app:arg mapping 2 [alice]',
      'CRITICAL:app:crit [alice]',
      'INFO:app:nested [alice]',
      'INFO:app:[zed] processed 1 [-]',
      'INFO:app:no extra [-]',
      'ERROR:app:boom [alice]',
      'NoneType: None',
    ]);
    expect([a.isEnabledFor(20), a.getEffectiveLevel(), a.name]).toEqual([false, 30, 'app']);
  });

  it('warn, fatal and level names; exception with an Error renders its traceback; { exc_info } too', () => {
    const { logger, sink } = setup();
    const a = new LoggerAdapter(logger, { user: 'u' });
    a.warn('w');
    a.fatal('f');
    a.log('error', 'by name');
    const err = new Error('kaboom');
    a.exception('failed', err);
    a.error('failed %s', 'again', { exc_info: err });
    expect(sink.lines.slice(0, 4)).toEqual([
      'WARNING:app:w [u]',
      'CRITICAL:app:f [u]',
      'ERROR:app:by name [u]',
      'ERROR:app:failed [u]',
    ]);
    expect(sink.lines[4]).toBe('Error: kaboom');
    expect(sink.text).toContain('ERROR:app:failed again [u]\nError: kaboom\n');
  });

  it('its attributes are record attributes: keys of the info, in the stored record’s extra', () => {
    const raw = new MemoryTransport();
    const logger = createModuleLogger('raw', { transports: [raw], propagate: false });
    new LoggerAdapter(logger, { user: 'alice', jobId: 7 }).warning('job %d', 7, { extra: { user: 'x' } });
    expect(raw.records[0]).toMatchObject({ message: 'job %d', user: 'alice', jobId: 7 });
    expect(toLogRecord(raw.records[0]!).extra).toEqual({ user: 'alice', jobId: 7 });
    // The same keyword arguments given to the module logger directly: Python's plumbing keys are never
    // stored as attributes of the record.
    logger.error('job %d failed', 8, { extra: { user: 'bob' }, exc_info: new Error('x'), tag: 't' });
    expect(toLogRecord(raw.records[1]!).extra).toEqual({ user: 'bob', tag: 't' });
  });

  it('process is not called for a disabled level (CPython checks isEnabledFor first); the caller’s kwargs are not changed', () => {
    const { logger } = setup();
    const calls: unknown[] = [];
    class Counting extends LoggerAdapter {
      override process(msg: unknown, kwargs: LoggerAdapterKwargs): [unknown, LoggerAdapterKwargs] {
        calls.push(msg);
        return super.process(msg, kwargs);
      }
    }
    const a = new Counting(logger, { user: 'u' });
    logger.setLevel('INFO');
    a.debug('not processed');
    const kwargs = { extra: { user: 'mine' } };
    a.info('processed', kwargs);
    expect(calls).toEqual(['processed']);
    expect(kwargs).toEqual({ extra: { user: 'mine' } });
  });

  it('a disabled call is answered by the level check alone: process is not called, whatever the method; an enabled call passes all its arguments', () => {
    // CPython 3.11's LoggerAdapter.log is `if self.isEnabledFor(level): msg, kwargs = self.process(msg,
    // kwargs); ...`, and debug/exception/… all go through it. Checked with python3 (a counting
    // process() on a logger at INFO): a.debug('off %s %s', 1, 2) and a.log(30, 'off3 %s', 1) at
    // CRITICAL never reach process; a.info('on %s %d %r', 'a', 2, [3]) prints "INFO:on a 2 [3] [u]".
    const { logger, sink } = setup();
    const calls: unknown[] = [];
    // process() replaced on the instance, noting each message it is given.
    const counted = (adapter: LoggerAdapter): LoggerAdapter => {
      const own = adapter.process.bind(adapter);
      adapter.process = (msg, kwargs) => {
        calls.push(msg);
        return own(msg, kwargs);
      };
      return adapter;
    };
    const a = counted(new LoggerAdapter(logger, { user: 'u' }));
    const nested = counted(new LoggerAdapter(a, { user: 'n' }));
    logger.setLevel('CRITICAL');
    a.debug('off %s %s', 1, 2);
    a.info('off', { extra: { user: 'x' } });
    a.warning('off');
    a.warn('off');
    a.error('off %s', 1);
    a.exception('off', new Error('e'));
    a.log(30, 'off %s', 1);
    a.log('error', 'off');
    nested.error('off %s', 1);
    expect(calls).toEqual([]);
    expect(sink.lines).toEqual([]);
    logger.setLevel('INFO');
    a.info('on %s %d %r', 'a', 2, [3]);
    a.log('warning', 'at %s and %s', 'x', 'y', { extra: { user: 'ignored' } });
    nested.error('%s-%s-%s', 1, 2, 3);
    expect(calls).toEqual(['on %s %d %r', 'at %s and %s', '%s-%s-%s', '%s-%s-%s']);
    expect(sink.lines).toEqual([
      'INFO:app:on a 2 [3] [u]',
      'WARNING:app:at x and y [u]',
      'ERROR:app:1-2-3 [u]',
    ]);
  });

  it('a level the tree does not know never throws into the caller: the logger judges it as log() does', async () => {
    const { logger, sink } = setup();
    const a = new LoggerAdapter(logger, { user: 'u' });
    // winston's own words for an unknown level go to console.error (checked, not printed).
    const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const printed = await captureStderr(() => {
      expect(() => a.log('nosuchlevel' as never, 'odd level')).not.toThrow();
      expect(() => a.log({} as never, 'not a level')).not.toThrow();
    });
    const reports = [...errorSpy.mock.calls];
    errorSpy.mockRestore();
    expect(reports).toEqual([['[winston] Unknown logger level: %s', 'nosuchlevel']]);
    expect(printed).toContain('not a level');
    expect(sink.records.map((r) => r.message)).toEqual(['odd level']);
  });

  it('setLevel and hasHandlers act on the wrapped logger; `logger` and `extra` are the given ones', () => {
    const { logger } = setup();
    const extra = { user: 'u' };
    const a = new LoggerAdapter(logger, extra);
    a.setLevel('ERROR');
    expect(logger.getEffectiveLevel()).toBe(40);
    expect(a.hasHandlers()).toBe(true);
    expect(a.logger).toBe(logger);
    expect(a.extra).toBe(extra);
  });

  it('refuses a plain winston logger (child(meta) does that job there) and an extra that is not a plain object', () => {
    const plain = winston.createLogger();
    expect(() => new LoggerAdapter(plain as never, {})).toThrow(ConfigError);
    expect(() => new LoggerAdapter(plain as never, {})).toThrow(
      'a plain winston logger has child(meta) for the same purpose',
    );
    expect(() => new LoggerAdapter(createModuleLogger('x'), 'user' as never)).toThrow(
      'LoggerAdapter(logger, extra): extra "user" is not allowed; use a plain object of record attributes',
    );
  });
});

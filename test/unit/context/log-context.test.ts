import { Writable } from 'node:stream';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import { logContext } from '../../../formats/log-context';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import { configureLogging } from '../../../src/config/configure-logging';
import { enterLogContext } from '../../../src/context/enter-log-context';
import { getLogContext } from '../../../src/context/get-log-context';
import { runWithLogContext } from '../../../src/context/run-with-log-context';
import { ConfigError } from '../../../src/errors';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { toLogRecord } from '../../../src/record/record';
import { captureStderr } from '../../helpers/capture-stderr';
import { MemoryTransport } from '../../helpers/memory-transport';

const FMT = '%(levelname)s:%(name)s:[%(requestId)s] %(message)s';

/** A module logger with one text handler (FMT, placeholder '-') and one that keeps the raw infos. */
function setup(name = 'app', defaultMeta?: Record<string, unknown>) {
  const text = new MemoryTransport({ format: pythonFormat({ format: FMT, defaults: { requestId: '-' } }) });
  const raw = new MemoryTransport();
  const log = createModuleLogger(name, {
    level: 'debug',
    transports: [text, raw],
    propagate: false,
    ...(defaultMeta ? { defaultMeta } : {}),
  });
  return { log, text, raw };
}

beforeEach(() => resetLogging());
afterAll(() => resetLogging());

describe('runWithLogContext / getLogContext', () => {
  it('has no context outside; inside, the frozen fields; fn’s return value comes back', () => {
    expect(getLogContext()).toBeUndefined();
    const out = runWithLogContext({ requestId: 'r1' }, () => {
      const c = getLogContext();
      expect(c).toEqual({ requestId: 'r1' });
      expect(Object.isFrozen(c)).toBe(true);
      return 42;
    });
    expect(out).toBe(42);
    expect(getLogContext()).toBeUndefined();
  });

  it('nested contexts merge, the inner fields win, and the outer one is back after', () => {
    runWithLogContext({ requestId: 'outer', user: 'u1' }, () => {
      runWithLogContext({ requestId: 'inner', step: 2 }, () => {
        expect(getLogContext()).toEqual({ requestId: 'inner', user: 'u1', step: 2 });
      });
      expect(getLogContext()).toEqual({ requestId: 'outer', user: 'u1' });
    });
  });

  it('the caller’s fields object is copied, never kept or changed', () => {
    const fields: Record<string, unknown> = { requestId: 'r1' };
    runWithLogContext(fields, () => {
      fields.requestId = 'changed later';
      expect(getLogContext()).toEqual({ requestId: 'r1' });
    });
    expect(fields).toEqual({ requestId: 'changed later' });
  });

  it('follows awaits, timers and promise callbacks; concurrent contexts stay apart', async () => {
    const seen: string[] = [];
    const task = (id: string, waits: number[]): Promise<void> =>
      runWithLogContext({ requestId: id }, async () => {
        for (const ms of waits) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          await new Promise<void>((resolve) => setTimeout(resolve, ms));
          seen.push(`${id}=${String(getLogContext()?.requestId)}`);
        }
      });
    await Promise.all([task('a', [0, 0, 0]), task('b', [0, 0]), task('c', [0])]);
    expect(seen.sort()).toEqual(['a=a', 'a=a', 'a=a', 'b=b', 'b=b', 'c=c']);
  });

  it('rejects fields that are not a plain object, LogRecord attributes and a non-function fn', () => {
    expect(() => runWithLogContext(null as never, () => 1)).toThrow(
      'runWithLogContext: fields null is not allowed; use a plain object of field values',
    );
    expect(() => runWithLogContext(['x'] as never, () => 1)).toThrow(ConfigError);
    expect(() => runWithLogContext({ name: 'x' }, () => 1)).toThrow(
      'runWithLogContext: field "name" is not allowed: it is a LogRecord attribute or winston key',
    );
    for (const key of ['level', 'message', 'levelname', 'msg', 'args', 'extra', 'exc_info']) {
      expect(() => runWithLogContext({ [key]: 1 }, () => 1)).toThrow(ConfigError);
    }
    expect(() => runWithLogContext({ a: 1 }, 'nope' as never)).toThrow(
      'runWithLogContext: fn "nope" is not allowed; use a function',
    );
  });
});

describe('enterLogContext', () => {
  it('adds fields for the rest of the current execution, merged with the active context', async () => {
    await runWithLogContext({ requestId: 'r1' }, async () => {
      enterLogContext({ user: 'alice' });
      expect(getLogContext()).toEqual({ requestId: 'r1', user: 'alice' });
      await Promise.resolve();
      expect(getLogContext()).toEqual({ requestId: 'r1', user: 'alice' });
    });
    // The scope that entered it (the run above) ended: nothing leaks out.
    expect(getLogContext()).toBeUndefined();
  });

  it('checks its fields as runWithLogContext does', () => {
    expect(() => enterLogContext({ levelno: 1 })).toThrow('enterLogContext: field "levelno" is not allowed');
  });
});

describe('module logger records inside a context', () => {
  it('carry the fields as record attributes: %(requestId)s renders, the info has the keys', () => {
    const { log, text, raw } = setup();
    log.info('outside');
    runWithLogContext({ requestId: 'r1', user: 'alice' }, () => log.info('inside %s', 'x'));
    expect(text.lines).toEqual(['INFO:app:[-] outside', 'INFO:app:[r1] inside x']);
    expect(raw.records[1]).toMatchObject({ requestId: 'r1', user: 'alice', message: 'inside %s' });
    expect(raw.records[0]).not.toHaveProperty('requestId');
  });

  it('reach every logger of the tree and the handlers of the ancestors, once', () => {
    const root = new MemoryTransport({ format: pythonFormat({ format: FMT, defaults: { requestId: '-' } }) });
    createModuleLogger('svc', { transports: [root], level: 'debug' });
    runWithLogContext({ requestId: 'r2' }, () => {
      createModuleLogger('svc.db').warning('slow query');
      createModuleLogger('svc.auth.jwt').error('bad token');
    });
    expect(root.lines).toEqual(['WARNING:svc.db:[r2] slow query', 'ERROR:svc.auth.jwt:[r2] bad token']);
  });

  it('priority: explicit metadata, Python extra and child() bindings win over the context', () => {
    const { log, text, raw } = setup();
    runWithLogContext({ requestId: 'ctx' }, () => {
      log.info('meta', { requestId: 'meta' });
      log.info('extra %s', 1, { extra: { requestId: 'extra' } });
      log.info({ message: 'info object', requestId: 'object' });
      log.child({ requestId: 'child' }).info('child');
      log.child({ other: 1 }).info('child without the key');
      // A trailing metadata object is the call's own (Python's extra attributes): it wins where the
      // record is rendered, as winston's splat() makes it win.
      log.info('trailing %s', 1, { requestId: 'trailing' });
    });
    expect(text.lines).toEqual([
      'INFO:app:[meta] meta',
      'INFO:app:[extra] extra 1',
      'INFO:app:[object] info object',
      'INFO:app:[child] child',
      'INFO:app:[ctx] child without the key',
      'INFO:app:[trailing] trailing 1',
    ]);
    expect(raw.records.map((r) => (r as { requestId?: unknown }).requestId)).toEqual([
      'meta',
      'extra',
      'object',
      'child',
      'ctx',
      'ctx',
    ]);
    expect(toLogRecord(raw.records[5]!).extra.requestId).toBe('trailing');
  });

  it('priority: the context wins over defaultMeta (defaultMeta itself is not changed)', () => {
    const defaultMeta = { requestId: 'default', service: 'api' };
    const { log, text, raw } = setup('svc', defaultMeta);
    log.info('outside');
    runWithLogContext({ requestId: 'ctx' }, () => {
      log.info('inside');
      log.info('inside %s', 'with args');
      log.info('with meta', { user: 'u' });
      log.child({ requestId: 'child' }).info('child beats the context, which beats defaultMeta');
    });
    expect(text.lines).toEqual([
      'INFO:svc:[default] outside',
      'INFO:svc:[ctx] inside',
      'INFO:svc:[ctx] inside with args',
      'INFO:svc:[ctx] with meta',
      'INFO:svc:[child] child beats the context, which beats defaultMeta',
    ]);
    expect(raw.records[1]).toMatchObject({ requestId: 'ctx', service: 'api' });
    expect(defaultMeta).toEqual({ requestId: 'default', service: 'api' });
  });

  it('winston’s log(info) form: the object is the info and winston merges defaultMeta into it, so defaultMeta keys count as its own', () => {
    const { log, text } = setup('svc', { requestId: 'default' });
    runWithLogContext({ requestId: 'ctx', user: 'u' }, () => {
      log.log({ level: 'info', message: 'log(info)' });
    });
    expect(text.lines).toEqual(['INFO:svc:[default] log(info)']);
  });

  it('records written as infos (write, profile) get the context too; logger filters see it', () => {
    const { log, raw } = setup();
    const seen: unknown[] = [];
    log.addFilter((info) => seen.push((info as { requestId?: unknown }).requestId));
    runWithLogContext({ requestId: 'w' }, () => {
      log.write({ level: 'info', message: 'written' });
      log.info('called');
    });
    expect(raw.records.map((r) => (r as { requestId?: unknown }).requestId)).toEqual(['w', 'w']);
    expect(seen).toEqual(['w', 'w']);
  });

  it('a disabled call inside a context creates nothing', () => {
    const { log, raw } = setup();
    log.setLevel('WARNING');
    runWithLogContext({ requestId: 'r' }, () => log.debug('dropped'));
    expect(raw.records).toHaveLength(0);
  });

  it('JSON output and the stored record (MongoTransport’s document) carry the fields', () => {
    const json = new MemoryTransport({ format: winston.format.json() });
    const log = createModuleLogger('j', { transports: [json], propagate: false });
    runWithLogContext({ requestId: 'r9', tenant: 3 }, () => log.warning('hello'));
    expect(JSON.parse(json.lines[0]!)).toEqual({
      level: 'warning',
      message: 'hello',
      requestId: 'r9',
      tenant: 3,
    });
    expect(toLogRecord(json.records[0]!).extra).toEqual({ requestId: 'r9', tenant: 3 });
  });

  it('a format naming a context field renders its `defaults` placeholder outside any context — never the fallback line', async () => {
    const withDefaults = new MemoryTransport({
      format: pythonFormat({ format: FMT, defaults: { requestId: '-' } }),
    });
    const withoutDefaults = new MemoryTransport({ format: pythonFormat({ format: FMT }) });
    const log = createModuleLogger('d', { transports: [withDefaults, withoutDefaults], propagate: false });
    const stderr = await captureStderr(() => log.warning('no context'));
    expect(withDefaults.lines).toEqual(['WARNING:d:[-] no context']);
    // Without defaults CPython's Formatter raises "Formatting field not found in record"; the bundle
    // keeps the record as LEVEL:name:message and reports it once.
    expect(withoutDefaults.lines).toEqual(['WARNING:d:no context']);
    expect(stderr).toContain("Formatting field not found in record: 'requestId'");
  });

  it('configureLogging’s formatter `defaults` gives the placeholder too', () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    configureLogging({
      version: 1,
      formatters: { ctx: { format: FMT, defaults: { requestId: '-' } } },
      handlers: { out: { class: 'console', stream, formatter: 'ctx' } },
      root: { level: 'INFO', handlers: ['out'] },
    });
    const log = createModuleLogger('cfg');
    log.info('before');
    runWithLogContext({ requestId: 'r7' }, () => log.info('during'));
    expect(text).toBe('INFO:cfg:[-] before\nINFO:cfg:[r7] during\n');
  });
});

describe('logContext() on a plain winston logger', () => {
  function plain(withContext: boolean) {
    const sink = new MemoryTransport();
    const py = pythonFormat({
      format: '%(requestId)s %(user)s %(message)s',
      defaults: { requestId: '-', user: '-' },
    });
    const logger = winston.createLogger({
      format: withContext ? winston.format.combine(logContext(), py) : py,
      transports: [sink],
    });
    return { logger, sink };
  }

  it('copies the fields onto the info so pythonFormat renders them', () => {
    const { logger, sink } = plain(true);
    logger.info('outside');
    runWithLogContext({ requestId: 'p1', user: 'u' }, () => logger.info('inside'));
    expect(sink.lines).toEqual(['- - outside', 'p1 u inside']);
  });

  it('never overwrites a key the info has (metadata, defaultMeta)', () => {
    const { logger, sink } = plain(true);
    runWithLogContext({ requestId: 'ctx', user: 'ctx-user' }, () =>
      logger.info('meta', { requestId: 'meta' }),
    );
    expect(sink.lines).toEqual(['meta ctx-user meta']);
  });

  it('without it pythonFormat does not read the context (formats stay functions of the info): the placeholder', () => {
    const { logger, sink } = plain(false);
    runWithLogContext({ requestId: 'p1' }, () => logger.info('inside'));
    expect(sink.lines).toEqual(['- - inside']);
  });

  it('as a transport format on a module logger’s record it changes nothing (the call’s context is there)', () => {
    const out = logContext().transform({ level: 'info', message: 'x', a: 1 }) as never;
    expect(out).toEqual({ level: 'info', message: 'x', a: 1 });
    const info = runWithLogContext({ a: 2, b: 3 }, () =>
      logContext().transform({ level: 'info', message: 'x', a: 1 }),
    ) as Record<string | symbol, unknown>;
    expect(info).toEqual({ level: 'info', message: 'x', a: 1, b: 3 });
    expect(info[MESSAGE]).toBeUndefined();
  });
});

import type { Format, TransformableInfo } from 'logform';
import { MESSAGE } from 'triple-beam';
import winston from 'winston';
import { pythonFormat } from '../../../formats/python-format';
import '../../../src/config/configure-logging';
import { createModuleLogger, resetLogging } from '../../../src/logger/create-module-logger';
import { PY_RECORD, logRecordOf, toLogRecord } from '../../../src/record/record';
import type { RecordContext } from '../../../src/record/record';
import { MemoryTransport } from '../../helpers/memory-transport';

beforeEach(() => {
  delete process.env.LOG_LEVELS;
  delete process.env.LOG_LEVEL;
  resetLogging();
});
afterAll(() => resetLogging());

const { combine } = winston.format;
const step = (fn: (info: TransformableInfo) => void): Format =>
  winston.format((info) => {
    fn(info);
    return info;
  })();

/** A `%s` argument that counts how often it is turned into text. */
/** The info's own string keys and their values (symbols left out). */
function stringKeys(info: TransformableInfo): Record<string, unknown> {
  return Object.fromEntries(Object.keys(info).map((k) => [k, (info as Record<string, unknown>)[k]]));
}

class Counted {
  calls = 0;
  toString(): string {
    this.calls++;
    return 'counted';
  }
}

describe('the one LogRecord of a call', () => {
  it('is built once and shared by two pythonFormat transports and by toLogRecord', () => {
    const records: unknown[] = [];
    const contexts: RecordContext[] = [];
    const capture = step((info) => {
      records.push(logRecordOf(info));
      contexts.push((info as unknown as { [PY_RECORD]: RecordContext })[PY_RECORD]);
    });
    const a = new MemoryTransport({ format: combine(pythonFormat('%(levelname)s %(message)s'), capture) });
    const b = new MemoryTransport({ format: combine(pythonFormat('%(name)s %(message)s'), capture) });
    let viaToLogRecord: ReturnType<typeof toLogRecord> | undefined;
    const c = new MemoryTransport({
      format: step((info) => {
        viaToLogRecord = toLogRecord(info);
      }),
    });
    const arg = new Counted();
    createModuleLogger('shared', { transports: [a, b, c] }).info('value %s', arg);

    expect(a.lines).toEqual(['INFO value counted']);
    expect(b.lines).toEqual(['shared value counted']);
    expect(records).toHaveLength(2);
    expect(records[0]).toBe(records[1]);
    expect(contexts[0]).toBe(contexts[1]);
    expect(contexts[0]?.record).toBe(records[0]);
    // toLogRecord returns its own copy, made from the same shared record.
    expect(viaToLogRecord).toMatchObject({ name: 'shared', message: 'value counted', levelname: 'INFO' });
    expect(viaToLogRecord).not.toBe(records[0]);
    expect(contexts[0]?.record).toBe(records[0]);
    // msg % args was merged exactly once for the three transports.
    expect(arg.calls).toBe(1);
  });

  it('a format before pythonFormat that rewrites info.message is honoured on that transport only', () => {
    for (const redactedFirst of [true, false]) {
      resetLogging();
      const arg = new Counted();
      const redacted = new MemoryTransport({
        format: combine(
          step((info) => {
            info.message = 'REDACTED';
          }),
          pythonFormat('%(levelname)s %(message)s'),
        ),
      });
      const plain = new MemoryTransport({ format: pythonFormat('%(levelname)s %(message)s') });
      const transports = redactedFirst ? [redacted, plain] : [plain, redacted];
      createModuleLogger('r', { transports }).warning('secret %s', arg);
      expect(redacted.lines).toEqual(['WARNING REDACTED']);
      expect(plain.lines).toEqual(['WARNING secret counted']);
      expect(arg.calls).toBe(1);
    }
  });

  it('a rewritten message ignores the args and is the msg of that reader', () => {
    let seen: ReturnType<typeof logRecordOf> | undefined;
    const t = new MemoryTransport({
      format: combine(
        step((info) => {
          info.message = 'replaced %s';
        }),
        step((info) => {
          seen = logRecordOf(info);
        }),
        pythonFormat('%(message)s'),
      ),
    });
    createModuleLogger('r2', { transports: [t] }).info('original %s', 'arg');
    expect(t.lines).toEqual(['replaced %s']);
    expect(seen).toMatchObject({ msg: 'replaced %s', args: [], message: 'replaced %s' });
  });

  it('carries the call site captured at the call, and no call-site keys when none was captured', () => {
    let record: Readonly<Record<string, unknown>> | undefined;
    let captured: RecordContext['callSite'];
    const t = new MemoryTransport({
      format: combine(
        pythonFormat('%(filename)s:%(lineno)d %(message)s'),
        step((info) => {
          record = logRecordOf(info);
          captured = (info as unknown as { [PY_RECORD]: RecordContext })[PY_RECORD].callSite;
        }),
      ),
    });
    createModuleLogger('site', { transports: [t] }).info('here');
    expect(captured?.filename).toBe('log-record.test.ts');
    expect(record).toMatchObject({ ...captured });
    expect(t.lines).toEqual([`log-record.test.ts:${captured?.lineno} here`]);
    const without = { level: 'info', message: 'q', [PY_RECORD]: { name: 'db', created: 0 } };
    expect(Object.keys(logRecordOf(without as TransformableInfo))).not.toContain('lineno');
  });

  it("pythonFormat does not change the info's string keys", () => {
    const before: Array<Record<string, unknown>> = [];
    const after: Array<Record<string, unknown>> = [];
    const t = new MemoryTransport({
      format: combine(
        step((info) => before.push(stringKeys(info))),
        pythonFormat('%(asctime)s %(name)s %(levelname)s %(user)s %(lineno)d %(message)s'),
        step((info) => after.push(stringKeys(info))),
      ),
    });
    const log = createModuleLogger('keys', { transports: [t], defaultMeta: { user: 'default' } });
    log.info('hello %s', 'world', { user: 'bob' });
    log.error('failed', new Error('boom'));
    log.info({ message: 'object', user: 'amy' });
    log.info('mapping %(user)s', { user: 'zed' });
    expect(after).toHaveLength(4);
    expect(after).toEqual(before);
    expect(t.lines[0]).toMatch(/ keys INFO \w+ \d+ hello world$/);
    expect(t.lines[1]).toMatch(/ keys ERROR default \d+ failed$/);
    for (const info of t.records) expect(typeof (info as Record<symbol, unknown>)[MESSAGE]).toBe('string');
  });
});

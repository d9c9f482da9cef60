import type { TransformableInfo } from 'logform';
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import { PY_RECORD } from '../../../src/record/record';
import type { RecordContext } from '../../../src/record/record';
import {
  BSON_LIMIT,
  buildDropMarkerDocument,
  buildFallbackDocument,
  buildLogDocument,
} from '../../../transports/mongo/mongo-document';

function info(fields: Record<string, unknown>, ctx?: RecordContext): TransformableInfo {
  const i: Record<string | symbol, unknown> = { level: 'error', message: 'boom', ...fields };
  i[LEVEL] = i.level;
  if (ctx !== undefined) i[PY_RECORD] = ctx;
  return i as TransformableInfo;
}

describe('buildLogDocument(info, options)', () => {
  it('stores a LogRecord.__dict__-like document: time of the call, formatted message, msg/args, process fields', () => {
    const ctx: RecordContext = { name: 'app.db', created: 1700000000123, args: ['x', 3] };
    const i = info({ message: 'query %s failed %d times', requestId: 'r-1' }, ctx);
    (i as Record<symbol, unknown>)[MESSAGE] =
      '2023-11-14 22:13:20,123 - app.db - ERROR - query x failed 3 times';
    const { doc, bytes } = buildLogDocument(i, { metaKey: 'extra', hostname: 'h1' });
    expect(doc).toEqual({
      timestamp: new Date(1700000000123),
      name: 'app.db',
      levelname: 'ERROR',
      levelno: 40,
      message: '2023-11-14 22:13:20,123 - app.db - ERROR - query x failed 3 times',
      msg: 'query %s failed %d times',
      args: ['x', 3],
      process: process.pid,
      processName: 'MainProcess',
      thread: 0,
      threadName: 'MainThread',
      hostname: 'h1',
      extra: { requestId: 'r-1' },
    });
    expect(bytes).toBeGreaterThan(100);
    expect(bytes).toBeLessThan(2000);
  });

  it('stores the call site captured at the call under the LogRecord names; none when it was not captured', () => {
    const callSite = {
      pathname: '/srv/app/db.ts',
      filename: 'db.ts',
      module: 'db',
      lineno: 42,
      funcName: 'query',
    };
    const { doc } = buildLogDocument(info({}, { name: 'app.db', created: 1700000000123, callSite }), {
      metaKey: 'extra',
    });
    expect(doc).toMatchObject(callSite);
    const { doc: plain } = buildLogDocument(info({}, { name: 'app.db', created: 1700000000123 }), {
      metaKey: 'extra',
    });
    expect(Object.keys(plain)).not.toContain('lineno');
  });

  it("without a format, message is Python's msg % args; the metadata key is configurable", () => {
    const i = info({ message: 'disk at %d%%', [SPLAT]: [91], host: 'db1' });
    const { doc } = buildLogDocument(i, { metaKey: 'meta' });
    expect(doc.message).toBe('disk at 91%');
    expect(doc.meta).toEqual({ host: 'db1' });
    expect(doc.extra).toBeUndefined();
  });

  it('stores an Error as exc_info { type, message, stack, cause }', () => {
    const err = new RangeError('outer', { cause: new Error('root cause') });
    const i = info({ message: 'failed', [SPLAT]: [err] });
    const { doc } = buildLogDocument(i, { metaKey: 'extra' });
    expect(doc.exc_info).toMatchObject({
      type: 'RangeError',
      message: 'outer',
      stack: err.stack,
      cause: { type: 'Error', message: 'root cause' },
    });
  });

  it('truncates a record over the BSON limit (message first) and marks it', () => {
    const huge = 'x'.repeat(17 * 1024 * 1024);
    const i = info({ message: huge, attachment: 'y'.repeat(2 * 1024 * 1024) });
    const { doc, bytes } = buildLogDocument(i, { metaKey: 'extra' });
    expect(bytes).toBeLessThanOrEqual(BSON_LIMIT - 256 * 1024);
    expect(doc.message.length).toBeLessThan(1024 * 1024 + 100);
    expect(doc.message).toMatch(/… \[truncated \d+ of 17825792 characters\]$/);
    expect(doc.truncated).toEqual({
      estimatedBytes: expect.any(Number),
      fields: expect.arrayContaining(['message', 'msg', 'extra.attachment']),
    });
    expect(doc.truncated!.estimatedBytes).toBeGreaterThan(BSON_LIMIT);
  });

  it('replaces bulky metadata by a note when cutting long strings is not enough', () => {
    const many = Array.from({ length: 3000 }, (_, k) => 'z'.repeat(500) + String(k));
    const { doc, bytes } = buildLogDocument(info({ many }), {
      metaKey: 'extra',
      maxDocumentBytes: 64 * 1024,
    });
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
    expect(doc.extra).toMatch(/^\[\d+ bytes removed: the record was over the BSON size limit\]$/);
    expect(doc.truncated!.fields).toContain('extra');
    expect(doc.message).toBe('boom');
  });
});

describe('marker and fallback documents', () => {
  it('buildDropMarkerDocument says how many records were dropped, when and by which policy', () => {
    const doc = buildDropMarkerDocument(
      { count: 7, firstAt: 1000, lastAt: 2000, policy: 'drop-newest' },
      'h',
    );
    expect(doc).toMatchObject({
      timestamp: new Date(1000),
      name: 'winston-pylogging',
      levelname: 'WARNING',
      levelno: 30,
      dropped: { count: 7, from: new Date(1000), until: new Date(2000), policy: 'drop-newest' },
    });
    expect(doc.message).toBe(
      'MongoTransport dropped 7 record(s): its buffer was full (overflow policy drop-newest) from 1970-01-01T00:00:01.000Z to 1970-01-01T00:00:02.000Z',
    );
  });

  it('buildFallbackDocument keeps identity, time, level and message and says why', () => {
    const { doc } = buildLogDocument(info({ x: 1 }), { metaKey: 'extra' });
    doc._id = 'id-1';
    const fb = buildFallbackDocument(doc, 'invalid key');
    expect(fb).toMatchObject({ _id: 'id-1', levelname: 'ERROR', message: 'boom', unstorable: 'invalid key' });
    expect(fb.extra).toBeUndefined();
  });
});

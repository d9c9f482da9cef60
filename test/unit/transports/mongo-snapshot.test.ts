import type { TransformableInfo } from 'logform';
import winston from 'winston';
import Transport from 'winston-transport';
import { buildSnapshotDocument } from '../../../transports/mongo/mongo-document';
import { snapshotRecord } from '../../../transports/mongo/mongo-snapshot';
import type { RecordSnapshot } from '../../../transports/mongo/mongo-snapshot';
import { pythonFormat } from '../../../formats/python-format';
import { createModuleLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';

// MongoTransport takes a snapshot in log() (during the caller's call) and builds the document when the
// batch is sent. These tests take the snapshot the same way, from a real winston pipeline, let the
// caller change its objects afterwards, and build the document later.
class SnapshotTransport extends Transport {
  constructor(options?: Transport.TransportStreamOptions) {
    super(options);
  }

  readonly snaps: RecordSnapshot[] = [];
  override log(info: TransformableInfo, next: () => void): void {
    this.snaps.push(snapshotRecord(info));
    next();
  }
}

const OPTIONS = { metaKey: 'extra', hostname: 'h' };

function plainLogger(format?: winston.Logform.Format): { logger: winston.Logger; t: SnapshotTransport } {
  const t = new SnapshotTransport();
  return { logger: winston.createLogger(format ? { format, transports: [t] } : { transports: [t] }), t };
}

describe('snapshotRecord(info): what the caller can change after the call is stored as it was', () => {
  afterEach(() => resetLogging());

  it('objects among the metadata, args and exception are copied at the call (CPython: a synchronous handler sees them then)', () => {
    // CPython 3.11, a handler storing record.__dict__ in emit(), then the caller mutates:
    //   log.error('tags %s', tags, extra={'user': user}); tags.append('b'); user['id'] = 2
    //   → getMessage() "tags ['a']", user {"id": 1, "roles": ["x"]}, args (['a'],)
    resetLogging();
    const t = new SnapshotTransport({ format: pythonFormat({ format: '%(message)s' }) });
    getRootLogger().add(t);
    const log = createModuleLogger('app');
    const tags = ['a'];
    const user = { id: 1, roles: ['x'] };
    const err = new Error('first');
    log.error('tags %s', tags, { user });
    log.error('failed', err);
    tags.push('b');
    user.id = 2;
    user.roles.push('y');
    err.message = 'changed';
    const { doc } = buildSnapshotDocument(t.snaps[0]!, OPTIONS);
    expect(doc.message).toBe("tags ['a']");
    expect(doc.args).toEqual([['a']]);
    expect(doc.extra).toEqual({ user: { id: 1, roles: ['x'] } });
    const failed = buildSnapshotDocument(t.snaps[1]!, OPTIONS).doc;
    expect(failed.exc_info).toMatchObject({ type: 'Error', message: 'first' });
  });

  it('a plain winston logger: the metadata object and a message object are copied; the format text is final', () => {
    const { logger, t } = plainLogger(winston.format.json());
    const order = { id: 7, items: [1] };
    logger.error('placed', { order });
    order.items.push(2);
    const { doc } = buildSnapshotDocument(t.snaps[0]!, OPTIONS);
    expect(doc.extra).toEqual({ order: { id: 7, items: [1] } });
    expect(JSON.parse(doc.message)).toEqual({
      level: 'error',
      message: 'placed',
      order: { id: 7, items: [1] },
    });
  });

  it('primitives are left for the build: msg % args is merged there, by the formats rules', () => {
    const { logger, t } = plainLogger(winston.format((i) => i)());
    logger.error('disk at %d%% on %s', 91, 'db1');
    const snap = t.snaps[0]!;
    expect(snap).toMatchObject({ raw: true, message: undefined, msg: 'disk at %d%% on %s' });
    const { doc, bytes } = buildSnapshotDocument(snap, OPTIONS);
    expect(doc.message).toBe('disk at 91% on db1');
    expect(doc.args).toEqual([91, 'db1']);
    expect(bytes).toBeGreaterThanOrEqual(512 + 'disk at 91% on db1'.length);
    // A merge that fails keeps the record, as the formats do (CPython would print a Logging error).
    logger.error('%d items', 'many');
    expect(buildSnapshotDocument(t.snaps[1]!, OPTIONS).doc.message).toBe('%d items many');
  });

  it("a single mapping of primitives is copied at the call and merged at the build (Python's %(key)s)", () => {
    // CPython 3.11, a handler whose emit() stores getMessage() and a deep copy of args:
    //   m = {'u': 'bob', 'n': 1, 'a.b': 'x'}; log.error('user %(u)s n=%(n)d', m); m['u'] = 'eve'; m['n'] = 2
    //   → ('user bob n=1', {'u': 'bob', 'n': 1, 'a.b': 'x'})
    resetLogging();
    const t = new SnapshotTransport({ format: winston.format((i) => i)() });
    getRootLogger().add(t);
    const log = createModuleLogger('app');
    const m: Record<string, unknown> = { u: 'bob', n: 1, 'a.b': 'x' };
    log.error('user %(u)s n=%(n)d', m);
    log.error('plain', m);
    m.u = 'eve';
    m.n = 2;
    const snap = t.snaps[0]!;
    expect(snap.raw).toBe(true);
    const { doc } = buildSnapshotDocument(snap, OPTIONS);
    expect(doc.message).toBe('user bob n=1');
    expect(doc.args).toEqual({ u: 'bob', n: 1, 'a[dot]b': 'x' });
    const plain = buildSnapshotDocument(t.snaps[1]!, OPTIONS).doc;
    expect(plain.args).toEqual({ u: 'bob', n: 1, 'a[dot]b': 'x' });
    expect(plain.extra).toEqual({ u: 'bob', n: 1, 'a[dot]b': 'x' });
  });

  it('a mapping with an object among its values is sanitised and merged at the call', () => {
    resetLogging();
    const t = new SnapshotTransport({ format: winston.format((i) => i)() });
    getRootLogger().add(t);
    const log = createModuleLogger('app');
    const m = { tags: ['a'] };
    log.error('tags %(tags)s', m);
    m.tags.push('b');
    const snap = t.snaps[0]!;
    expect(snap.raw).toBe(false);
    const { doc } = buildSnapshotDocument(snap, OPTIONS);
    expect(doc.message).toBe("tags ['a']");
    expect(doc.args).toEqual({ tags: ['a'] });
  });

  it('a message that reads an object is merged at the call', () => {
    const { logger, t } = plainLogger(winston.format((i) => i)());
    const o = new Map([['k', 1]]);
    logger.error('state %s', o);
    o.set('k', 2);
    expect(t.snaps[0]!.raw).toBe(false);
    expect(buildSnapshotDocument(t.snaps[0]!, OPTIONS).doc.message).toBe(t.snaps[0]!.message);
    expect(t.snaps[0]!.message).not.toContain('2');
  });

  it('flat metadata of storable values is kept as it is (no copy); other metadata is sanitised', () => {
    const { logger, t } = plainLogger();
    logger.error('m', { requestId: 'r-1', n: 3, ok: true, none: null });
    logger.error('m', { 'a.b': 1, $x: NaN, big: 10n });
    const flat = buildSnapshotDocument(t.snaps[0]!, OPTIONS).doc;
    expect(flat.extra).toEqual({ requestId: 'r-1', n: 3, ok: true, none: null });
    const other = buildSnapshotDocument(t.snaps[1]!, OPTIONS).doc;
    expect(other.extra).toEqual({ 'a[dot]b': 1, '[$]x': 'NaN', big: '10' });
  });

  it('the size estimate counts every string of the record, so the buffer bound holds before the build', () => {
    const { logger, t } = plainLogger();
    const text = 'y'.repeat(4000);
    logger.error(text, { note: 'z'.repeat(1000) });
    const snap = t.snaps[0]!;
    // msg, message (the json format repeats the text) and the metadata.
    expect(snap.bytes).toBeGreaterThan(2 * 4000 + 1000);
    expect(buildSnapshotDocument(snap, OPTIONS).bytes).toBe(snap.bytes);
  });
});

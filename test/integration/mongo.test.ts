import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { MongoClient } from 'mongodb';
import type { CommandStartedEvent, Document } from 'mongodb';
import winston from 'winston';
import { pythonFormat } from '../../formats/python-format';
import { configureLogging } from '../../src/config/configure-logging';
import { createModuleLogger, resetLogging } from '../../src/logger/create-module-logger';
import { shutdown } from '../../src/lifecycle/shutdown';
import { MongoTransport } from '../../transports/mongo/mongo-transport';
import type { DropSummary, MongoTransportOptions } from '../../transports/mongo/mongo-transport';
import { createTcpProxy, hostOf, sharedMongoUri, viaProxy } from '../helpers/ferretdb';
import type { TcpProxy } from '../helpers/ferretdb';

jest.setTimeout(60_000);

// Short backoffs and timeouts keep the outage tests quick; the defaults are for production.
const FAST: Pick<MongoTransportOptions, 'clientOptions' | 'retry' | 'closeTimeoutMs'> = {
  clientOptions: { serverSelectionTimeoutMS: 300, directConnection: true },
  retry: { initialDelayMs: 30, maxDelayMs: 200 },
  closeTimeoutMs: 10_000,
};

describe('MongoTransport against a real MongoDB-compatible server', () => {
  const uri = sharedMongoUri();
  const dbName = `pylog_it_${process.pid}`;
  let client: MongoClient;
  let seq = 0;
  const fresh = (): string => `c${++seq}_${Date.now()}`;
  const open: Array<{ close(): unknown }> = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    client = new MongoClient(uri, { monitorCommands: true });
    await client.connect();
  });

  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
    for (const p of proxies.splice(0)) await p.close();
    client.removeAllListeners('commandStarted');
  });

  afterAll(async () => {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  function transport(options: MongoTransportOptions): MongoTransport {
    const t = new MongoTransport({ dbName, ...options });
    open.push(t);
    return t;
  }

  async function proxy(delayMs = 0): Promise<TcpProxy> {
    const p = await createTcpProxy(hostOf(uri), delayMs);
    proxies.push(p);
    return p;
  }

  function collected(): { stream: PassThrough; lines: string[] } {
    const stream = new PassThrough({ objectMode: true });
    const lines: string[] = [];
    stream.on('data', (info: Record<symbol, string>) => lines.push(info[Symbol.for('message')]!));
    return { stream, lines };
  }

  async function docs(collection: string, sort: Document = { _id: 1 }): Promise<Document[]> {
    return client.db(dbName).collection(collection).find({}).sort(sort).toArray();
  }

  it("without a format of its own, a module logger's record is stored with message = msg % args (not the json() line other format-less transports render)", async () => {
    const collection = fresh();
    const t = transport({ uri, collection, flushLevel: false, flushIntervalMs: 300 });
    const log = createModuleLogger('it.mongo.formatless');
    log.addHandler(t);
    log.error('Order %s refused', 'o-9', { orderId: 9 });
    log.removeHandler(t);
    expect((await t.flush(10_000)).pending).toBe(0);
    const stored = await docs(collection);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ message: 'Order o-9 refused', msg: 'Order %s refused', args: ['o-9'] });
    expect(stored[0]?.['extra']).toMatchObject({ orderId: 9 });
  });

  it('stores a LogRecord.__dict__-like document: logger name, formatted message, msg/args, time of the call, exc_info', async () => {
    const collection = fresh();
    const t = transport({
      uri,
      collection,
      format: pythonFormat({ format: '%(name)s - %(levelname)s - %(message)s' }),
      flushLevel: false,
      flushIntervalMs: 300,
    });
    const log = createModuleLogger('it.mongo.shape');
    log.addHandler(t);
    const err = new Error('card declined', { cause: new TypeError('gateway said no') });
    const before = Date.now();
    log.error('Payment %s failed', 'p-17', err);
    const after = Date.now();
    log.removeHandler(t);
    expect((await t.flush(10_000)).pending).toBe(0);
    const [doc, ...rest] = await docs(collection);
    expect(rest).toHaveLength(0);
    expect(doc).toMatchObject({
      name: 'it.mongo.shape',
      levelname: 'ERROR',
      levelno: 40,
      message: expect.stringMatching(/^it\.mongo\.shape - ERROR - Payment p-17 failed\n[\s\S]*card declined/),
      msg: 'Payment %s failed',
      args: ['p-17'],
      process: process.pid,
      processName: 'MainProcess',
      threadName: 'MainThread',
      exc_info: {
        type: 'Error',
        message: 'card declined',
        stack: err.stack,
        cause: { type: 'TypeError', message: 'gateway said no' },
      },
    });
    expect(typeof doc!.hostname).toBe('string');
    // The time of the call, not of the insert (which waited for the 300 ms interval).
    const ts = (doc!.timestamp as Date).getTime();
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(after);
    const names = (await client.db(dbName).collection(collection).indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['timestamp_1', 'name_1_timestamp_1']));
    // An errors-only collection gets no level index (it would select almost nothing).
    expect(names).not.toContain('levelno_1_timestamp_1');
  });

  it('stores what the caller passed as it was at the call, though the document is built when the batch is sent', async () => {
    const collection = fresh();
    const t = transport({ client, collection });
    const logger = winston.createLogger({ transports: [t] });
    const cart = { items: ['apple'], total: 1 };
    for (let i = 0; i < 3; i++) {
      logger.error(`cart ${i}`, { cart });
      // Changed right after each call, before the batch (sent in a later event-loop turn) is built.
      cart.items.push(`item ${i}`);
      cart.total++;
    }
    expect((await t.flush(10_000)).pending).toBe(0);
    const stored = await docs(collection);
    expect(stored.map((d) => [d.msg, d.extra])).toEqual([
      ['cart 0', { cart: { items: ['apple'], total: 1 } }],
      ['cart 1', { cart: { items: ['apple', 'item 0'], total: 2 } }],
      ['cart 2', { cart: { items: ['apple', 'item 0', 'item 1'], total: 3 } }],
    ]);
  });

  it('batches with insertMany (size, interval, at once for ERROR) and never closes an app-supplied client', async () => {
    const collection = fresh();
    const inserts: number[] = [];
    client.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'insert' && e.command.insert === collection) {
        inserts.push((e.command.documents as unknown[]).length);
      }
    });
    const t = transport({ client, collection, level: 'warn', batchSize: 500, flushIntervalMs: 400 });
    const logger = winston.createLogger({ transports: [t] });
    for (let i = 0; i < 1200; i++) logger.error(`burst ${i}`);
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(inserts).toEqual([500, 500, 200]);

    // Below flushLevel: records wait for the interval, then go out as one batch.
    inserts.length = 0;
    logger.warn('w1');
    logger.warn('w2');
    logger.warn('w3');
    await new Promise((r) => setTimeout(r, 150));
    expect(inserts).toEqual([]);
    await new Promise((r) => setTimeout(r, 600));
    expect(inserts).toEqual([3]);

    logger.close();
    await t.close();
    // The app's client is still usable: the transport did not close it.
    expect(await client.db(dbName).command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await client.db(dbName).collection(collection).countDocuments()).toBe(1203);
  });

  it('stores bad data instead of rejecting it: $ and . keys, cycles, BigInt, Symbols, functions, Buffers, Map/Set, Error causes, NaN, >16 MiB', async () => {
    const collection = fresh();
    const t = transport({ uri, collection });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = winston.createLogger({ transports: [t] });
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const deepCause = new Error('top', { cause: new RangeError('middle', { cause: new Error('bottom') }) });
    logger.error('keys', { $where: 'x', 'a.b': 1, nested: { 'c.d': { $gt: 2 } } });
    logger.error('circular', { circular });
    logger.error('bigint', { big: 2n ** 80n });
    logger.error('symbol', { sym: Symbol('s'), [Symbol('hidden')]: 1 });
    logger.error('function', { fn: function handler() {} });
    logger.error('buffer', { buf: Buffer.from([1, 2, 3]) });
    logger.error('mapset', {
      map: new Map<unknown, unknown>([
        ['k.1', 1],
        [2, 'two'],
      ]),
      set: new Set(['a', 'b']),
    });
    logger.error('error', { failure: deepCause });
    logger.error('numbers', { nan: NaN, inf: -Infinity });
    logger.error('x'.repeat(17 * 1024 * 1024));
    expect((await t.flush(30_000)).pending).toBe(0);
    const stored = await docs(collection);
    expect(stored).toHaveLength(10);
    const byMsg = new Map(stored.map((d) => [String(d.msg).slice(0, 10), d]));
    expect(byMsg.get('keys')!.extra).toEqual({
      '[$]where': 'x',
      'a[dot]b': 1,
      nested: { 'c[dot]d': { '[$]gt': 2 } },
    });
    expect(byMsg.get('circular')!.extra).toEqual({ circular: { name: 'loop', self: '[Circular]' } });
    expect(byMsg.get('bigint')!.extra).toEqual({ big: '1208925819614629174706176' });
    expect(byMsg.get('symbol')!.extra).toEqual({ sym: 'Symbol(s)' });
    expect(byMsg.get('function')!.extra).toEqual({ fn: '[Function: handler]' });
    expect(Buffer.from((byMsg.get('buffer')!.extra as { buf: { buffer: Uint8Array } }).buf.buffer)).toEqual(
      Buffer.from([1, 2, 3]),
    );
    expect(byMsg.get('mapset')!.extra).toEqual({ map: { 'k[dot]1': 1, '2': 'two' }, set: ['a', 'b'] });
    expect(byMsg.get('error')!.extra).toMatchObject({
      failure: {
        type: 'Error',
        message: 'top',
        cause: { type: 'RangeError', message: 'middle', cause: { type: 'Error', message: 'bottom' } },
      },
    });
    expect(byMsg.get('numbers')!.extra).toEqual({ nan: 'NaN', inf: '-Infinity' });
    const huge = byMsg.get('xxxxxxxxxx')!;
    expect(huge.truncated).toMatchObject({ fields: expect.arrayContaining(['message', 'msg']) });
    expect(String(huge.msg)).toMatch(/… \[truncated \d+ of 17825792 characters\]$/);
    expect(warnings).toEqual([]);
    expect(t.stats()).toMatchObject({ received: 10, stored: 10, abandoned: 0 });
  });

  it('server down at startup: other transports keep flowing, records wait and arrive in order, exactly once', async () => {
    const collection = fresh();
    const p = await proxy();
    const t = transport({ uri: viaProxy(uri, p), collection, ...FAST });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const { stream, lines } = collected();
    const logger = winston.createLogger({
      format: winston.format.printf((i) => String(i.message)),
      transports: [new winston.transports.Stream({ stream }), t],
    });
    for (let i = 0; i < 300; i++) logger.error(`start ${i}`);
    await new Promise((r) => setImmediate(r));
    // The stream transport got every line while MongoDB was unreachable.
    expect(lines).toHaveLength(300);
    await new Promise((r) => setTimeout(r, 800));
    expect(t.stats()).toMatchObject({ stored: 0, pending: 300 });
    expect(warnings.filter((w) => w.includes('cannot store records'))).toHaveLength(1);
    await p.listen();
    expect((await t.flush(15_000)).pending).toBe(0);
    const stored = await docs(collection, { _id: 1 });
    expect(stored.map((d) => d.msg)).toEqual(Array.from({ length: 300 }, (_, i) => `start ${i}`));
  });

  it('bufferBytes bounds the buffer in bytes as well as records', async () => {
    const collection = fresh();
    const p = await proxy();
    const t = transport({
      uri: viaProxy(uri, p),
      collection,
      ...FAST,
      bufferBytes: 64 * 1024,
      faultsToStderr: false,
    });
    const logger = winston.createLogger({ transports: [t] });
    const text = 'y'.repeat(4000);
    for (let i = 0; i < 100; i++) logger.error(`${i} ${text}`);
    const { pending, pendingBytes, dropped } = t.stats();
    // Each document holds the text twice (msg and message): about 8 KB, so 64 KiB holds 7 or 8.
    expect(pendingBytes).toBeLessThanOrEqual(64 * 1024);
    expect(pending).toBeGreaterThanOrEqual(7);
    expect(pending).toBeLessThanOrEqual(8);
    expect(dropped).toBe(100 - pending);
    await p.listen();
    expect((await t.flush(15_000)).pending).toBe(0);
    expect(
      await client
        .db(dbName)
        .collection(collection)
        .countDocuments({ dropped: { $exists: false } }),
    ).toBe(pending);
  });

  it('shutdown() also ends a MongoTransport on a plain winston logger; at its timeout it abandons and reports', async () => {
    const p = await proxy();
    const t = new MongoTransport({
      uri: viaProxy(uri, p),
      dbName,
      collection: fresh(),
      ...FAST,
      faultsToStderr: false,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = winston.createLogger({ transports: [t] });
    logger.error('never stored');
    logger.error('never stored either');
    const started = Date.now();
    const report = await shutdown({ timeoutMs: 600 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(report.delivered).toBe(false);
    expect(report.undelivered).toContainEqual(expect.objectContaining({ transport: 'mongodb', pending: 2 }));
    expect(t.stats()).toMatchObject({ pending: 0, abandoned: 2 });
    expect(warnings.some((w) => w.includes('2 record(s) were not delivered before the close deadline'))).toBe(
      true,
    );
    // Closed: a record logged afterwards is counted, not buffered.
    logger.error('after shutdown');
    expect(t.stats()).toMatchObject({ pending: 0, abandoned: 3 });
  });

  it('configureLogging with a mongodb handler reports option errors at configuration time, changing nothing', () => {
    expect(() =>
      configureLogging({
        console: false,
        // A typo on purpose: the types reject it too; the run-time check is what is tested here.
        mongodb: { uri: 'mongodb://127.0.0.1:99999/', colection: 'x' } as never,
      }),
    ).toThrow(
      /mongodb: MongoTransport: option "colection" is "x"; unknown option \(did you mean "collection"\?\)[^]*mongodb: MongoTransport: option "uri" is "mongodb:\/\/127\.0\.0\.1:99999\/"; the mongodb driver cannot parse it/,
    );
    expect(() =>
      configureLogging({
        version: 1,
        handlers: { db: { class: 'mongodb', uri, dbName: 'bad name' } },
        root: { handlers: ['db'] },
      }),
    ).toThrow(/handlers\.db: MongoTransport: option "dbName" is "bad name"/);
  });

  it('slow server: the logger never waits, and logger.end() → finish means every record is stored', async () => {
    const collection = fresh();
    const p = await proxy(150);
    await p.listen();
    const t = transport({
      uri: viaProxy(uri, p),
      collection,
      batchSize: 100,
      ...FAST,
      // Each round trip takes 300 ms here: server selection needs more than FAST's 300 ms.
      clientOptions: { serverSelectionTimeoutMS: 5000, directConnection: true },
    });
    const { stream, lines } = collected();
    const logger = winston.createLogger({
      format: winston.format.printf((i) => String(i.message)),
      transports: [new winston.transports.Stream({ stream }), t],
    });
    for (let i = 0; i < 500; i++) logger.error(`slow ${i}`);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(500);
    expect(t.stats().stored).toBe(0);
    logger.end();
    await once(logger, 'finish');
    expect(t.stats()).toMatchObject({ stored: 500, pending: 0 });
    const stored = await docs(collection, { _id: 1 });
    expect(stored.map((d) => d.msg)).toEqual(Array.from({ length: 500 }, (_, i) => `slow ${i}`));
  });

  it.each(['drop-newest', 'drop-oldest'] as const)(
    'overflow (%s): drops and counts records, reports once, stores a marker document when delivery resumes',
    async (overflow) => {
      const collection = fresh();
      const p = await proxy();
      const t = transport({
        uri: viaProxy(uri, p),
        collection,
        bufferSize: 50,
        batchSize: 10,
        overflow,
        ...FAST,
      });
      const warnings: string[] = [];
      const dropped: DropSummary[] = [];
      t.on('warn', (e: Error) => warnings.push(e.message));
      t.on('dropped', (s: DropSummary) => dropped.push(s));
      const logger = winston.createLogger({ transports: [t] });
      for (let i = 0; i < 80; i++) logger.error(`rec ${i}`);
      expect(t.stats()).toMatchObject({ received: 80, dropped: 30, pending: 50 });
      expect(warnings.filter((w) => w.includes('buffer full'))).toHaveLength(1);
      await p.listen();
      expect((await t.flush(15_000)).pending).toBe(0);
      logger.error('after recovery');
      expect((await t.flush(15_000)).pending).toBe(0);
      const stored = (await docs(collection, { _id: 1 })).map((d) =>
        d.dropped ? `marker:${(d.dropped as { count: number }).count}` : d.msg,
      );
      const kept =
        overflow === 'drop-newest'
          ? [...Array.from({ length: 50 }, (_, i) => `rec ${i}`), 'marker:30']
          : ['marker:30', ...Array.from({ length: 50 }, (_, i) => `rec ${i + 30}`)];
      expect(stored).toEqual([...kept, 'after recovery']);
      expect(dropped).toEqual([
        { count: 30, firstAt: expect.any(Number), lastAt: expect.any(Number), policy: overflow },
      ]);
      // Reported once with the count when the gap is stored.
      expect(
        warnings.filter((w) => w.includes('dropped 30 record(s) while the buffer was full')),
      ).toHaveLength(1);
    },
  );

  it("query() implements winston's options: from, until, rows/limit, start, order, fields, level", async () => {
    const collection = fresh();
    const t = transport({ uri, collection, level: 'info' });
    const logger = winston.createLogger({ transports: [t] });
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      logger.log(i % 2 === 0 ? 'error' : 'info', `q${i}`);
      await new Promise((r) => setTimeout(r, 15));
    }
    expect((await t.flush(10_000)).pending).toBe(0);
    const viaWinston = await new Promise<Record<string, Document[]>>((resolve, reject) =>
      logger.query(
        { from: new Date(t0), until: new Date(), rows: 10, order: 'asc', fields: ['msg'] },
        (e, r) => (e ? reject(e) : resolve(r as Record<string, Document[]>)),
      ),
    );
    expect(viaWinston.mongodb).toEqual(['q0', 'q1', 'q2', 'q3', 'q4'].map((msg) => ({ msg })));
    const page = await t.query({ order: 'desc', start: 1, limit: 2, fields: ['msg', 'levelname'] });
    expect(page).toEqual([
      { msg: 'q3', levelname: 'INFO' },
      { msg: 'q2', levelname: 'ERROR' },
    ]);
    expect((await t.query({ level: 'ERROR', order: 'asc', fields: ['msg'] })).map((d) => d.msg)).toEqual([
      'q0',
      'q2',
      'q4',
    ]);
    expect(await t.query({ from: Date.now() + 60_000, until: Date.now() + 120_000 })).toEqual([]);
    const withIds = await t.query({ rows: 1, includeIds: true });
    expect(withIds[0]!._id).toBeDefined();
    // This transport stores INFO and up, so it indexes the level too.
    const names = (await client.db(dbName).collection(collection).indexes()).map((i) => i.name);
    expect(names).toContain('levelno_1_timestamp_1');
  });

  it('capped collection and TTL option', async () => {
    const capped = fresh();
    const t = transport({ uri, collection: capped, capped: { size: 1_000_000, max: 1000 } });
    const logger = winston.createLogger({ transports: [t] });
    logger.error('capped');
    expect((await t.flush(10_000)).pending).toBe(0);
    expect(await client.db(dbName).collection(capped).isCapped()).toBe(true);

    const ttl = fresh();
    const t2 = transport({ uri, collection: ttl, expireAfterSeconds: 3600 });
    const warnings: string[] = [];
    t2.on('warn', (e: Error) => warnings.push(e.message));
    winston.createLogger({ transports: [t2] }).error('ttl');
    expect((await t2.flush(10_000)).pending).toBe(0);
    const index = (await client.db(dbName).collection(ttl).indexes()).find((i) => i.name === 'timestamp_1');
    // MongoDB creates the TTL index; FerretDB 1.x has none, and the transport says so once and stores anyway.
    const supported = index?.expireAfterSeconds === 3600;
    expect(supported || warnings.some((w) => w.includes('does not support TTL indexes'))).toBe(true);
    expect(await client.db(dbName).collection(ttl).countDocuments()).toBe(1);
  });

  it('configureLogging({ mongo }) ships ERROR+ of module loggers and shutdown() waits for them to be stored', async () => {
    const coll = fresh();
    configureLogging({
      useEnv: false,
      level: 'DEBUG',
      console: false,
      mongo: { uri, dbName, collection: coll, level: 'ERROR', ...FAST },
    });
    const log = createModuleLogger('database');
    log.info('not shipped: below ERROR');
    log.error('Query failed: %s', 'SELECT 1', new Error('connection reset by peer'));
    log.critical('Database unavailable');
    const report = await shutdown({ timeoutMs: 10_000 });
    resetLogging();
    expect(report.delivered).toBe(true);
    const docs = await client.db(dbName).collection(coll).find().sort({ _id: 1 }).toArray();
    // `message` is the text the configured format rendered (the seed format, traceback included).
    expect(
      docs.map((d) => [d.name, d.levelname, String(d.message).split('\n')[0]?.split(' - ').slice(1)]),
    ).toEqual([
      ['database', 'ERROR', ['database', 'ERROR', 'Query failed: SELECT 1']],
      ['database', 'CRITICAL', ['database', 'CRITICAL', 'Database unavailable']],
    ]);
    expect(String(docs[0]?.message).split('\n')[1]).toBe('Error: connection reset by peer');
    expect((docs[0]?.exc_info as { message?: string } | undefined)?.message).toBe('connection reset by peer');
  });
});

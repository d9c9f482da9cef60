import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { MongoClient } from 'mongodb';
import winston from 'winston';
import { MongoTransport } from '../../transports/mongo/mongo-transport';
import { freePort, startFerretDB } from '../helpers/ferretdb';
import type { FerretDBInstance } from '../helpers/ferretdb';

// This test crashes its server, so it runs its own FerretDB (a shared MONGODB_URI cannot be killed).

jest.setTimeout(90_000);

const TOTAL = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('MongoTransport when the server is SIGKILLed mid-run', () => {
  let dataDir: string;
  let server: FerretDBInstance | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pylog-outage-'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`stores all ${TOTAL} error records exactly once and in order after a >= 5 s crash and a restart on the same data`, async () => {
    const port = await freePort();
    server = await startFerretDB({ dataDir, port });
    const t = new MongoTransport({
      uri: server.uri,
      dbName: 'outage',
      collection: 'log',
      batchSize: 200,
      clientOptions: { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 },
      retry: { initialDelayMs: 50, maxDelayMs: 500 },
      closeTimeoutMs: 30_000,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const stream = new PassThrough({ objectMode: true });
    let streamed = 0;
    stream.on('data', () => streamed++);
    const logger = winston.createLogger({ transports: [new winston.transports.Stream({ stream }), t] });

    let i = 0;
    const logSome = (n: number): void => {
      for (const end = Math.min(TOTAL, i + n); i < end; i++) logger.error(`record ${i}`, { seq: i });
    };
    // Phase 1: the server is up; wait until some batches are stored.
    while (t.stats().stored < 1000) {
      logSome(50);
      await sleep(5);
    }
    // Phase 2: crash the server in the middle of the stream of records and keep logging for >= 5 s.
    await server.kill();
    const crashedAt = Date.now();
    const storedAtCrash = t.stats().stored;
    while (Date.now() - crashedAt < 5500) {
      logSome(40);
      await sleep(50);
    }
    // The other transport kept flowing the whole time, and the process is alive (no unhandled error).
    expect(streamed).toBe(i);
    expect(t.stats().stored).toBe(storedAtCrash);
    // Phase 3: restart on the same data directory and port, log the rest.
    server = await startFerretDB({ dataDir, port });
    logSome(TOTAL);
    expect(i).toBe(TOTAL);
    expect(await t.flush(60_000)).toEqual({ pending: 0 });
    await t.close();

    const client = new MongoClient(server.uri);
    try {
      const docs = await client
        .db('outage')
        .collection('log')
        .find({}, { projection: { msg: 1, extra: 1, timestamp: 1 } })
        .sort({ _id: 1 })
        .toArray();
      const seqs = docs.map((d) => (d.extra as { seq: number }).seq);
      expect(seqs).toHaveLength(TOTAL);
      expect(new Set(seqs).size).toBe(TOTAL);
      expect(seqs).toEqual(Array.from({ length: TOTAL }, (_, k) => k));
      const times = docs.map((d) => (d.timestamp as Date).getTime());
      expect(times.every((tm, k) => k === 0 || tm >= times[k - 1]!)).toBe(true);
    } finally {
      await client.close();
    }
    expect(t.stats()).toMatchObject({ received: TOTAL, stored: TOTAL, dropped: 0, abandoned: 0 });
    // The outage was reported once, not once per record or per retry.
    expect(warnings.filter((w) => w.includes('cannot store records'))).toHaveLength(1);
  });
});

/* MongoDB benchmark (issue 5: MongoTransport).
 *
 * N = 50,000 ERROR records (`logger.error(`record ${i}`, { seq: i })`) through a plain winston logger into
 * the same local server, one contender at a time, in the same run:
 *   (a) MongoTransport (buffered, unordered insertMany batches),
 *   (b) winston-mongodb 7.0.1 (one insertOne per record), the baseline of the ratios.
 * For each: the caller's loop time (what the application pays; it must never wait on the database) and
 * the time until the last document is stored, measured by polling countDocuments on a separate client.
 * The server is MONGODB_URI when set, else a FerretDB 1.24 (SQLite) started here. BENCH_MONGO_N overrides N.
 * Run: npx tsx bench/mongodb.bench.ts
 */
import { MongoClient } from 'mongodb';
import winston from 'winston';
import type Transport from 'winston-transport';
import { startFerretDB } from '../test/helpers/ferretdb';
import type { FerretDBInstance } from '../test/helpers/ferretdb';
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import type { TransformableInfo } from 'logform';
import { buildLogDocument } from '../transports/mongo/mongo-document';
import { MongoTransport } from '../transports/mongo/mongo-transport';

const N = Number(process.env.BENCH_MONGO_N ?? 50_000);
const DB = `pylog_bench_${process.pid}`;

interface Row {
  name: string;
  loopMs: number;
  totalMs: number;
}

// FerretDB's countDocuments and estimatedDocumentCount scan and decode every document (1.6-2.8 s at
// 50,000 documents), which would slow down the very inserts being timed; collStats reads SQLite's row
// count (about 30 ms at 50,000 documents, and it competes with the inserts for SQLite, so it is polled every
// 200 ms: the "until last stored" times are up to 0.2 s late for both contenders). The final number is
// confirmed with an exact countDocuments outside the clock.
async function storedCount(client: MongoClient, collection: string): Promise<number> {
  try {
    const stats = await client.db(DB).command({ collStats: collection });
    return typeof stats.count === 'number' ? stats.count : 0;
  } catch {
    return client.db(DB).collection(collection).estimatedDocumentCount();
  }
}

async function waitForCount(
  client: MongoClient,
  collection: string,
  n: number,
  limitMs: number,
): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if ((await storedCount(client, collection)) >= n) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function run(
  name: string,
  client: MongoClient,
  collection: string,
  make: () => Transport,
  close: (t: Transport) => Promise<void>,
): Promise<Row> {
  const t = make();
  const logger = winston.createLogger({ level: 'error', transports: [t] });
  // Let both transports connect and create their collection/indexes before the clock starts.
  logger.error('warm-up', { seq: -1 });
  if (!(await waitForCount(client, collection, 1, 60_000)))
    throw new Error(`${name}: warm-up record never stored`);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.error(`record ${i}`, { seq: i });
  const loopMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const ok = await waitForCount(client, collection, N + 1, 30 * 60_000);
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ok) throw new Error(`${name}: not all ${N} records were stored`);
  const exact = await client.db(DB).collection(collection).countDocuments();
  if (exact !== N + 1) throw new Error(`${name}: ${exact} documents stored, expected ${N + 1}`);
  await close(t);
  return { name, loopMs, totalMs };
}

/** Runs the benchmark and prints its table. */
export async function main(): Promise<void> {
  let server: FerretDBInstance | undefined;
  const uri = process.env.MONGODB_URI ?? (server = await startFerretDB()).uri;
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const rows: Row[] = [];
    rows.push(
      await run(
        'MongoTransport (this bundle)',
        client,
        'ours',
        // The whole run is one synchronous loop that never yields, so the buffer must hold all N records
        // (the default bufferSize, 10,000, would drop the rest by design).
        () =>
          new MongoTransport({ uri, dbName: DB, collection: 'ours', bufferSize: Math.max(N + 1, 10_000) }),
        async (t) => {
          await (t as MongoTransport).close();
        },
      ),
    );
    // winston-mongodb's CommonJS entry registers itself on winston.transports; it bundles its own driver.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MongoDB } = require('winston-mongodb') as { MongoDB: new (o: object) => Transport };
    rows.push(
      await run(
        'winston-mongodb 7.0.1',
        client,
        'peer',
        () => new MongoDB({ db: uri, dbName: DB, collection: 'peer', level: 'error' }),
        async (t) => {
          t.close?.();
          await new Promise((r) => setTimeout(r, 200));
        },
      ),
    );
    // The server's own ceiling: the same documents, prebuilt, inserted straight with the driver in the
    // transport's batch size, one batch at a time (what the transport can reach at best).
    const docs = Array.from({ length: N }, (_, i) => {
      const info: TransformableInfo = {
        level: 'error',
        message: `record ${i}`,
        seq: i,
        [LEVEL]: 'error',
        [SPLAT]: [{ seq: i }],
      };
      info[MESSAGE] = JSON.stringify({
        level: 'error',
        message: `record ${i}`,
        seq: i,
      });
      return buildLogDocument(info, { metaKey: 'extra' }).doc;
    });
    const raw = client.db(DB).collection('raw');
    await raw.createIndex({ timestamp: 1 });
    await raw.createIndex({ name: 1, timestamp: 1 });
    await raw.insertOne({ warmUp: true });
    const r0 = process.hrtime.bigint();
    for (let i = 0; i < N; i += 500) await raw.insertMany(docs.slice(i, i + 500), { ordered: false });
    rows.push({
      name: 'server ceiling: driver insertMany of prebuilt documents, same indexes',
      loopMs: NaN,
      totalMs: Number(process.hrtime.bigint() - r0) / 1e6,
    });
    const base = rows[1]!;
    const rate = (r: Row): number => N / (r.totalMs / 1000);
    console.log(
      `${N} ERROR records, plain winston logger, same server (${server ? 'FerretDB 1.24 SQLite' : 'MONGODB_URI'})`,
    );
    console.log(
      '| transport | caller loop (ms) | µs/record in the loop | until last stored (s) | records/s | vs winston-mongodb |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(
        `| ${r.name} | ${Number.isNaN(r.loopMs) ? '-' : r.loopMs.toFixed(0)} | ` +
          `${Number.isNaN(r.loopMs) ? '-' : ((r.loopMs * 1000) / N).toFixed(2)} | ${(r.totalMs / 1000).toFixed(2)} | ` +
          `${rate(r).toFixed(0)} | ${(rate(r) / rate(base)).toFixed(1)}× |`,
      );
    }
  } finally {
    await client
      .db(DB)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await server?.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

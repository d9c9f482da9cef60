/* MongoDB benchmark (issue 5: MongoTransport; issue 13: caller cost and delivery).
 *
 * N = 50,000 ERROR records (`logger.error(`record ${i}`, { seq: i })`) through a plain winston logger into
 * the same local server, one contender at a time, in the same run:
 *   (a) MongoTransport (buffered, unordered insertMany batches), ROUNDS rounds, each both through a plain
 *       winston logger and through a module logger (createModuleLogger + addHandler, the bundle's own path),
 *   (b) the server's own ceiling: the same documents prebuilt, inserted with the driver in 500-document
 *       batches one at a time, ROUNDS rounds interleaved with (a) (the server's speed drifts on a shared
 *       machine: ratios are taken between neighbours, then the median). Each path is compared with the
 *       ceiling of its own documents: a module logger's also keep `{ seq }` as Python's mapping `args`
 *       (larger documents; in one run their ceiling's median was within 2% of plain winston's, single
 *       rounds differ by up to 13% either way),
 *   (c) winston-mongodb 7.0.1 (one insertOne per record), once (it takes a minute).
 * For each: the caller's loop (wall and CPU time: what the application pays; it must never wait on the
 * database), the same loop into a winston transport that does nothing (winston's own share of it), and
 * the time until the last document is stored: MongoTransport's flush() (resolved when its last insert is
 * acknowledged, as the ceiling's awaits are), winston-mongodb's by polling collStats on a separate client.
 * The server is MONGODB_URI when set, else a FerretDB 1.24 (SQLite) started here. BENCH_MONGO_N overrides
 * N, BENCH_MONGO_ROUNDS the rounds (5: a single round moves with the server by ±20%, the median of five
 * holds). Run: npx tsx bench/mongodb.bench.ts
 *
 * The measured process is plain node on an esbuild bundle of this file, as the published package is one
 * bundle: under tsx every record also paid the loader's `__name` wrappers of per-call closures and a getter
 * per imported name (about 1.5–2 µs of the caller's cost, measured), which no user pays.
 */
import { median } from './median';
import { SinkTransport } from './sink-transport';
import { bundleSelf } from './bundle-self';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import winston from 'winston';
import type Transport from 'winston-transport';
import { startFerretDB } from '../test/helpers/ferretdb';
import type { FerretDBInstance } from '../test/helpers/ferretdb';
import { LEVEL, MESSAGE, SPLAT } from 'triple-beam';
import type { TransformableInfo } from 'logform';
import { buildLogDocument } from '../transports/mongo/mongo-document';
import type { LogDocument } from '../transports/mongo/mongo-document';
import { READS_RECORD } from '../src/record/direct-write';
import { MongoTransport } from '../transports/mongo/mongo-transport';
import { createModuleLogger } from '../src/logger/create-module-logger';

const N = Number(process.env.BENCH_MONGO_N ?? 50_000);
const ROUNDS = Number(process.env.BENCH_MONGO_ROUNDS ?? 5);
const DB = `pylog_bench_${process.pid}`;

interface Row {
  name: string;
  /** Wall and CPU milliseconds of the caller's loop (NaN for the ceiling, which has none). */
  loopMs: number;
  loopCpuMs: number;
  /** Milliseconds of garbage collection (V8's gc entries) that fell inside the caller's loop. */
  loopGcMs: number;
  totalMs: number;
}

// Every garbage collection of the process, kept so that a loop can count the collections inside it: the
// records a loop retains until its flush make the collector's share of the caller's cost, and it grows
// with what earlier rounds left on the heap.
const gcEntries: Array<{ start: number; end: number }> = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcEntries.push({ start: e.startTime, end: e.startTime + e.duration });
});

/** Milliseconds of garbage collection between two `performance.now()` readings. */
async function gcBetween(from: number, to: number): Promise<number> {
  // The observer is told of entries asynchronously, after a timer turn, not at the next immediate.
  await new Promise((r) => setTimeout(r, 20));
  let ms = 0;
  for (const e of gcEntries) if (e.start >= from && e.end <= to) ms += e.end - e.start;
  return ms;
}

/** Wall and CPU ms of the benchmark's caller loop into a winston logger with a do-nothing transport. */
function winstonFloor(): { loopMs: number; loopCpuMs: number } {
  const logger = winston.createLogger({ level: 'error', transports: [new SinkTransport()] });
  for (let i = 0; i < 2000; i++) logger.error(`record ${i}`, { seq: i });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.error(`record ${i}`, { seq: i });
  const loopMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  return { loopMs, loopCpuMs: (cpu.user + cpu.system) / 1000 };
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
  stored?: (t: Transport) => Promise<boolean>,
  via: 'winston' | 'module' = 'winston',
): Promise<Row> {
  const t = make();
  let logger: { error(message: string, meta: object): unknown };
  if (via === 'module') {
    const log = createModuleLogger(`bench.mongo.${collection}`, { level: 'ERROR' });
    log.propagate = false;
    log.addHandler(t);
    logger = log;
  } else {
    logger = winston.createLogger({ level: 'error', transports: [t] });
  }
  // Let both transports connect and create their collection/indexes before the clock starts.
  logger.error('warm-up', { seq: -1 });
  if (!(await waitForCount(client, collection, 1, 60_000)))
    throw new Error(`${name}: warm-up record never stored`);
  const c0 = process.cpuUsage();
  const p0 = performance.now();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.error(`record ${i}`, { seq: i });
  const loopMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  const p1 = performance.now();
  // MongoTransport says when every record is stored (as the ceiling's own awaits do), without polling
  // the server during the inserts; winston-mongodb cannot, so its count is polled.
  const ok =
    stored !== undefined ? await stored(t) : await waitForCount(client, collection, N + 1, 30 * 60_000);
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const loopGcMs = await gcBetween(p0, p1);
  if (!ok) throw new Error(`${name}: not all ${N} records were stored`);
  const exact = await client.db(DB).collection(collection).countDocuments();
  if (exact !== N + 1) throw new Error(`${name}: ${exact} documents stored, expected ${N + 1}`);
  await close(t);
  return { name, loopMs, loopCpuMs: (cpu.user + cpu.system) / 1000, loopGcMs, totalMs };
}

/**
 * The documents the contender stores, prebuilt: those of a plain winston logger's records, or those of a module
 * logger's (`log.error('record i', { seq: i })` keeps `{ seq }` as Python's mapping `args` too, so its documents
 * are larger and the server is slower on them: each contender is compared with the ceiling of its own documents).
 */
function prebuilt(shape: 'winston' | 'module'): LogDocument[] {
  if (shape === 'winston') {
    return Array.from({ length: N }, (_, i) => {
      const info: TransformableInfo = {
        level: 'error',
        message: `record ${i}`,
        seq: i,
        [LEVEL]: 'error',
        [SPLAT]: [{ seq: i }],
      };
      info[MESSAGE] = JSON.stringify({ level: 'error', message: `record ${i}`, seq: i });
      return buildLogDocument(info, { metaKey: 'extra' }).doc;
    });
  }
  const docs: LogDocument[] = [];
  // Reads the record as MongoTransport does (no json() line rendered for it), and builds its document.
  class Capture extends SinkTransport {
    override log(info: TransformableInfo, next: () => void): void {
      docs.push(buildLogDocument(info, { metaKey: 'extra' }).doc);
      next();
    }
  }
  Object.defineProperty(Capture.prototype, READS_RECORD, { value: true });
  const log = createModuleLogger('bench.mongo.ceiling', { level: 'ERROR' });
  log.propagate = false;
  const capture = new Capture();
  log.addHandler(capture);
  for (let i = 0; i < N; i++) log.error(`record ${i}`, { seq: i });
  log.removeHandler(capture);
  if (docs.length !== N) throw new Error(`ceiling: ${docs.length} module documents built, expected ${N}`);
  return docs;
}

/** The server's ceiling: prebuilt documents inserted with the driver, 500 at a time, same indexes. */
async function ceiling(client: MongoClient, collection: string, shape: 'winston' | 'module'): Promise<Row> {
  const docs = prebuilt(shape);
  const raw = client.db(DB).collection(collection);
  await raw.createIndex({ timestamp: 1 });
  await raw.createIndex({ name: 1, timestamp: 1 });
  await raw.insertOne({ warmUp: true });
  const r0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 500) await raw.insertMany(docs.slice(i, i + 500), { ordered: false });
  return {
    name: `server ceiling (${shape} documents): driver insertMany of prebuilt documents, same indexes`,
    loopMs: NaN,
    loopCpuMs: NaN,
    loopGcMs: NaN,
    totalMs: Number(process.hrtime.bigint() - r0) / 1e6,
  };
}

/**
 * Runs the benchmark and prints its table: starts the server (unless MONGODB_URI is set), then the
 * measurement itself in a child process on a bundle of this file (see the header).
 */
export async function main(): Promise<void> {
  let server: FerretDBInstance | undefined;
  const uri = process.env.MONGODB_URI ?? (server = await startFerretDB()).uri;
  try {
    const bundle = await bundleSelf(__filename, 'mongodb-child');
    execFileSync(process.execPath, [bundle, '--child'], {
      stdio: 'inherit',
      env: {
        ...process.env,
        MONGODB_URI: uri,
        BENCH_MONGO_SERVER: server ? 'FerretDB 1.24 SQLite' : 'MONGODB_URI',
        NODE_PATH: path.join(__dirname, '..', 'node_modules'),
      },
    });
  } finally {
    await server?.stop();
  }
}

/** The measurement (in the bundled child process). */
async function measure(): Promise<void> {
  let server: FerretDBInstance | undefined;
  const uri = process.env.MONGODB_URI ?? (server = await startFerretDB()).uri;
  const client = new MongoClient(uri);
  await client.connect();
  gcObserver.observe({ entryTypes: ['gc'] });
  const load = loadavg();
  try {
    // Untimed: the JIT compiles the logging path (winston's and the transport's) before round 1, as it has
    // for winston's own share measured after the rounds, and the server warms up.
    const warm = new MongoTransport({ uri, dbName: DB, collection: 'warm-up', bufferSize: 40_001 });
    const warmLogger = winston.createLogger({ level: 'error', transports: [warm] });
    for (let i = 0; i < 20_000; i++) warmLogger.error(`record ${i}`, { seq: i });
    const warmModule = createModuleLogger('bench.mongo.warm-up', { level: 'ERROR' });
    warmModule.propagate = false;
    warmModule.addHandler(warm);
    for (let i = 0; i < 20_000; i++) warmModule.error(`record ${i}`, { seq: i });
    await warm.flush(10 * 60_000);
    await warm.close();
    const ours: Row[] = [];
    const modules: Row[] = [];
    const ceilings: Row[] = [];
    const moduleCeilings: Row[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(
        await run(
          'MongoTransport (this bundle)',
          client,
          `ours${r}`,
          // The whole run is one synchronous loop that never yields, so the buffer must hold all N records
          // (the default bufferSize, 10,000, would drop the rest by design).
          () =>
            new MongoTransport({
              uri,
              dbName: DB,
              collection: `ours${r}`,
              bufferSize: Math.max(N + 1, 10_000),
            }),
          async (t) => {
            await (t as MongoTransport).close();
          },
          async (t) => (await (t as MongoTransport).flush(30 * 60_000)).pending === 0,
        ),
      );
      modules.push(
        await run(
          'MongoTransport through a module logger',
          client,
          `mod${r}`,
          () =>
            new MongoTransport({
              uri,
              dbName: DB,
              collection: `mod${r}`,
              bufferSize: Math.max(N + 1, 10_000),
            }),
          async (t) => {
            await (t as MongoTransport).close();
          },
          async (t) => (await (t as MongoTransport).flush(30 * 60_000)).pending === 0,
          'module',
        ),
      );
      ceilings.push(await ceiling(client, `raw${r}`, 'winston'));
      moduleCeilings.push(await ceiling(client, `rawmod${r}`, 'module'));
    }
    const floor = winstonFloor();
    // winston-mongodb's CommonJS entry registers itself on winston.transports; it bundles its own driver.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MongoDB } = require('winston-mongodb') as { MongoDB: new (o: object) => Transport };
    const peer = await run(
      'winston-mongodb 7.0.1',
      client,
      'peer',
      () => new MongoDB({ db: uri, dbName: DB, collection: 'peer', level: 'error' }),
      async (t) => {
        t.close?.();
        await new Promise((r) => setTimeout(r, 200));
      },
    );
    const rate = (r: Row): number => N / (r.totalMs / 1000);
    const us = (ms: number): string => (Number.isNaN(ms) ? '-' : ((ms * 1000) / N).toFixed(2));
    console.log(
      `${N} ERROR records, plain winston logger, same server (${process.env.BENCH_MONGO_SERVER ?? (server ? 'FerretDB 1.24 SQLite' : 'MONGODB_URI')}), bundled build, ` +
        `${ROUNDS} rounds of ours and the ceiling interleaved; load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
    );
    console.log(
      '| run | caller µs/record (wall) | caller µs/record (CPU) | of which GC | until last stored (s) | records/s | vs winston-mongodb | vs ceiling of the same round |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    const line = (name: string, r: Row, vsCeiling: string): void =>
      console.log(
        `| ${name} | ${us(r.loopMs)} | ${us(r.loopCpuMs)} | ${us(r.loopGcMs)} | ${(r.totalMs / 1000).toFixed(2)} | ` +
          `${rate(r).toFixed(0)} | ${(rate(r) / rate(peer)).toFixed(1)}× | ${vsCeiling} |`,
      );
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const ratio = rate(ours[r]!) / rate(ceilings[r]!);
      ratios.push(ratio);
      line(`MongoTransport, round ${r + 1}`, ours[r]!, `${ratio.toFixed(2)}×`);
      line(`server ceiling (plain winston's documents), round ${r + 1}`, ceilings[r]!, '1×');
      line(
        `MongoTransport via a module logger, round ${r + 1}`,
        modules[r]!,
        `${(rate(modules[r]!) / rate(moduleCeilings[r]!)).toFixed(2)}×`,
      );
      line(`server ceiling (the module logger's documents), round ${r + 1}`, moduleCeilings[r]!, '1×');
    }
    line('winston-mongodb 7.0.1', peer, '-');
    line(
      "winston + a do-nothing transport (winston's own share of the caller loop)",
      { ...floor, name: '', loopGcMs: NaN, totalMs: NaN },
      '-',
    );
    const mid = (f: (r: Row) => number, rows: Row[]): number => median(rows.map(f));
    console.log(
      `\nMedians: MongoTransport ${mid(rate, ours).toFixed(0)} records/s = ${(mid(rate, ours) / rate(peer)).toFixed(1)}× ` +
        `winston-mongodb, ${median(ratios).toFixed(2)}× the server ceiling (ceiling ${mid(rate, ceilings).toFixed(0)} records/s); ` +
        `caller ${us(mid((r) => r.loopMs, ours))} µs/record wall, ${us(mid((r) => r.loopCpuMs, ours))} CPU ` +
        `(winston alone ${us(floor.loopMs)} / ${us(floor.loopCpuMs)}; winston-mongodb ${us(peer.loopMs)} / ${us(peer.loopCpuMs)})`,
    );
    const modRatios = modules.map((m, r) => rate(m) / rate(moduleCeilings[r]!));
    console.log(
      `Through a module logger: ${mid(rate, modules).toFixed(0)} records/s = ${(mid(rate, modules) / rate(peer)).toFixed(1)}× ` +
        `winston-mongodb, ${median(modRatios).toFixed(2)}× the server ceiling of its documents (ceiling ${mid(rate, moduleCeilings).toFixed(0)} records/s); caller ` +
        `${us(mid((r) => r.loopMs, modules))} µs/record wall, ${us(mid((r) => r.loopCpuMs, modules))} CPU ` +
        `(of which GC ${us(mid((r) => r.loopGcMs, modules))})`,
    );
  } finally {
    gcObserver.disconnect();
    await client
      .db(DB)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await server?.stop();
  }
}

if (process.argv.includes('--child')) {
  measure().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

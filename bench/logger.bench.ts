/* Module-logger benchmark (issue: module loggers; issue 13: the level checks).
 *
 * 1. A disabled call (`debug` on an INFO logger), constant message and with arguments, and the guard
 *    `isEnabledFor('DEBUG')` (pino: `isLevelEnabled('debug')`): this bundle's module logger, winston,
 *    pino, CPython (timeit in a child process), and the harness floor: a call of an empty function in
 *    the same loop. Each contender has its own loop function (its own call-site feedback, so no
 *    contender is slowed by the others' shapes), the result of every call is kept (so V8 cannot drop
 *    the loop), 10^7 calls a round, CPU time (process.cpuUsage), median of 7 rounds.
 * 2. An enabled record through a module logger to the root's handler, against a plain winston logger
 *    with the same transport and format: the cost of the tree over plain winston.
 * 3. Creating 1,000 / 5,000 / 10,000 dotted loggers (placeholders first: `app.m7.sub123.leaf` before any of
 *    its prefixes), each count in a fresh process (cold, as at an app's start): the bundle, CPython's
 *    `logging.getLogger`, and `winston.createLogger` (winston has no tree; one logger per name).
 *
 * Timing: tight loops measured with process.hrtime.bigint, 7 rounds, median. Parts 1 and 2 run in plain node on
 * an esbuild bundle of this file (strict, as the package's own bundle). Run: npx tsx bench/logger.bench.ts
 */
import { median } from './median';
import { SinkTransport } from './sink-transport';
import { bundleSelf } from './bundle-self';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { loadavg } from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { createModuleLogger, getRootLogger, resetLogging } from '../src/logger/create-module-logger';
import { WINSTON_LEVELS } from '../src/record/levels';
import { pythonFormat } from '../formats/python-format';

const SEED = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
const ROUNDS = 7;

/** ns per call of fn, median of ROUNDS rounds of n calls. */
function time(n: number, fn: () => void): number {
  for (let i = 0; i < Math.min(n, 200_000); i++) fn(); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return median(rounds);
}

function cpython(): { constant: number; args: number; guard: number } | undefined {
  const script = `
import logging, timeit
logging.basicConfig(level=logging.INFO, stream=open('/dev/null', 'w'))
log = logging.getLogger('bench.db')
n = 2_000_000
c = min(timeit.repeat(lambda: log.debug('constant message'), number=n, repeat=5)) / n * 1e9
a = min(timeit.repeat(lambda: log.debug('user %s id %d', 'bob', 42), number=n, repeat=5)) / n * 1e9
g = min(timeit.repeat(lambda: log.isEnabledFor(logging.DEBUG), number=n, repeat=5)) / n * 1e9
print(f'{c:.2f} {a:.2f} {g:.2f}')
`;
  try {
    const out = execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim().split(' ');
    return { constant: Number(out[0]), args: Number(out[1]), guard: Number(out[2]) };
  } catch {
    return undefined;
  }
}

function fmt(ns: number): string {
  return ns >= 100 ? ns.toFixed(0) : ns >= 10 ? ns.toFixed(1) : ns.toFixed(2);
}

/** Every call's result lands here, so that V8 cannot drop a loop whose calls it can see through. */
const sink: { v: unknown } = { v: undefined };

/** ns of CPU per call of `loop(n)` (n calls), median of ROUNDS rounds after a warm-up round. */
function cpuNs(n: number, loop: (n: number) => void): number {
  loop(Math.min(n, 1_000_000));
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    loop(n);
    const c = process.cpuUsage(c0);
    rounds.push(((c.user + c.system) * 1000) / n);
  }
  return median(rounds);
}

function empty(message: string): unknown {
  return message;
}

/**
 * Runs the benchmark and prints its tables: parts 1 and 2 in plain node on an esbuild bundle of this
 * file (as the package ships: under tsx a loop would also pay the loader's wrappers), part 3 here.
 */
export async function main(): Promise<void> {
  const bundle = await bundleSelf(__filename, 'logger-child');
  execFileSync(process.execPath, [bundle, '--child'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: path.join(__dirname, '..', 'node_modules') },
  });
  if (process.env.BENCH_LOGGER_DISABLED_ONLY !== '1') creationTable();
}

/** Parts 1 and 2 (in the bundled child process). */
async function measure(): Promise<void> {
  resetLogging();
  const sinkRoot = new SinkTransport();
  getRootLogger().setLevel('INFO').add(sinkRoot);
  const ours = createModuleLogger('bench.db');

  const nullStream = new Writable({ write: (_c, _e, cb) => cb() });
  const w = winston.createLogger({
    level: 'info',
    transports: [new winston.transports.Stream({ stream: nullStream })],
  });
  const p = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));

  // One loop function per contender and shape (see the header): written out, not made by a factory,
  // whose loops would share one feedback vector.
  const loops = {
    floor: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = empty('constant message');
    },
    oursConst: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = ours.debug('constant message');
    },
    oursArgs: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = ours.debug('user %s id %d', 'bob', 42);
    },
    oursGuard: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = ours.isEnabledFor('DEBUG');
    },
    oursDetached: (n: number): void => {
      const debug = ours.debug;
      for (let i = 0; i < n; i++) sink.v = debug('constant message');
    },
    pinoConst: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = p.debug('constant message');
    },
    pinoArgs: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = p.debug('user %s id %d', 'bob', 42);
    },
    pinoGuard: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = p.isLevelEnabled('debug');
    },
    winstonConst: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = w.debug('constant message');
    },
    winstonArgs: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = w.debug('user %s id %d', 'bob', 42);
    },
    winstonGuard: (n: number): void => {
      for (let i = 0; i < n; i++) sink.v = w.isLevelEnabled('debug');
    },
  };
  const N = 10_000_000;
  const load = loadavg();
  const floor = cpuNs(N, loops.floor);
  const rows: Array<[string, number, number, number]> = [
    ['winston-pylogging', cpuNs(N, loops.oursConst), cpuNs(N, loops.oursArgs), cpuNs(N, loops.oursGuard)],
    [
      'winston 3',
      cpuNs(200_000, loops.winstonConst),
      cpuNs(200_000, loops.winstonArgs),
      cpuNs(N, loops.winstonGuard),
    ],
    ['pino 10', cpuNs(N, loops.pinoConst), cpuNs(N, loops.pinoArgs), cpuNs(N, loops.pinoGuard)],
  ];
  const detached = cpuNs(N, loops.oursDetached);
  const floorAfter = cpuNs(N, loops.floor);
  const py = cpython();
  if (py) rows.push(['CPython 3.11 logging', py.constant, py.args, py.guard]);

  console.log(
    `\nDisabled call (debug on an INFO logger) and guard, ns of CPU per call, median of ${ROUNDS} rounds of 10^7 calls ` +
      `(winston: 2·10^5); load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    '| logger | constant message | with 2 args | isEnabledFor(DEBUG) guard | constant, minus the floor | vs winston (constant) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  const winstonConst = rows[1]![1];
  for (const [name, c, a, g] of rows)
    console.log(
      `| ${name} | ${fmt(c)} | ${fmt(a)} | ${fmt(g)} | ${name.startsWith('CPython') ? '-' : fmt(c - floor)} | ${(winstonConst / c).toFixed(0)}x faster |`,
    );
  console.log(
    `| empty function call (the harness floor) | ${fmt(floor)} (after: ${fmt(floorAfter)}) | | | 0 | |`,
  );
  console.log(
    `| winston-pylogging, detached \`const { debug } = log\` | ${fmt(detached)} | | | ${fmt(detached - floor)} | |`,
  );

  // BENCH_LOGGER_DISABLED_ONLY=1 stops here (the level-check table alone, for quick comparisons).
  if (process.env.BENCH_LOGGER_DISABLED_ONLY === '1') return;

  // Enabled: module logger -> root handler, vs plain winston with the same transport class and format.
  resetLogging();
  const format = pythonFormat({ format: SEED });
  const rootSink = new SinkTransport({ format });
  getRootLogger().setLevel('INFO').add(rootSink);
  const mod = createModuleLogger('bench.db');
  const plainSink = new SinkTransport({ format: pythonFormat({ format: SEED }) });
  const plain = winston.createLogger({ levels: WINSTON_LEVELS, level: 'info', transports: [plainSink] });
  const M = 300_000;
  const enabledRows: Array<[string, number]> = [];
  for (let r = 0; r < 3; r++) {
    enabledRows.push(['module', time(M, () => mod.info('user %s logged in', 'bob'))]);
    enabledRows.push(['plain', time(M, () => plain.info('user %s logged in', 'bob'))]);
  }
  const modNs = median(enabledRows.filter((r) => r[0] === 'module').map((r) => r[1]));
  const plainNs = median(enabledRows.filter((r) => r[0] === 'plain').map((r) => r[1]));
  console.log(
    '\nEnabled record (info with 1 arg) through pythonFormat(seed) into a no-op transport, ns/record',
  );
  console.log('| path | ns/record | vs plain winston |');
  console.log('|---|---:|---:|');
  console.log(
    `| module logger -> root handler (propagated) | ${fmt(modNs)} | ${((modNs / plainNs - 1) * 100).toFixed(1)}% |`,
  );
  console.log(`| plain winston logger, same transport + format | ${fmt(plainNs)} | - |`);
  if (rootSink.count === 0 || plainSink.count === 0) throw new Error('bench sinks received nothing');
}

/** Wall-clock ms to create `n` loggers in a fresh process, median of 3 processes. */
function creation(n: number): { ours: number; winston: number; cpython: number | undefined } {
  const names = `Array.from({ length: ${n} }, (_, i) => 'app.m' + (i % 50) + '.sub' + i + '.leaf')`;
  const node = (body: string): number => {
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', body], {
        cwd: `${__dirname}/..`,
        encoding: 'utf8',
      });
      runs.push(Number(out.trim()));
    }
    return median(runs);
  };
  const ours = node(`
    const { createModuleLogger } = require('./src/index');
    const names = ${names};
    const t0 = process.hrtime.bigint();
    for (const name of names) createModuleLogger(name);
    process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`);
  const plain = node(`
    const winston = require('winston');
    const names = ${names};
    const t0 = process.hrtime.bigint();
    const all = new Map();
    for (const name of names) all.set(name, winston.createLogger({ defaultMeta: { logger: name } }));
    process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));`);
  let cpython: number | undefined;
  try {
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const out = execFileSync(
        'python3',
        [
          '-c',
          `import logging, time
names = ['app.m%d.sub%d.leaf' % (i % 50, i) for i in range(${n})]
t0 = time.perf_counter()
for name in names: logging.getLogger(name)
print((time.perf_counter() - t0) * 1000)`,
        ],
        { encoding: 'utf8' },
      );
      runs.push(Number(out.trim()));
    }
    cpython = median(runs);
  } catch {
    cpython = undefined;
  }
  return { ours, winston: plain, cpython };
}

export function creationTable(): void {
  console.log(
    '\nCreating N dotted loggers (placeholders first), cold process, wall ms, median of 3 processes',
  );
  console.log('| N | winston-pylogging | CPython getLogger | winston.createLogger per name |');
  console.log('|---:|---:|---:|---:|');
  for (const n of [1_000, 5_000, 10_000]) {
    const r = creation(n);
    console.log(
      `| ${n.toLocaleString('en')} | ${r.ours.toFixed(1)} | ${r.cpython === undefined ? '-' : r.cpython.toFixed(1)} | ${r.winston.toFixed(1)} |`,
    );
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

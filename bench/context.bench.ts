/* Log context benchmark (issue 12: request context across async code).
 *
 * Per-record cost of a module-logger call, all in one process with the rows interleaved round by round:
 *   - an enabled call (info with 1 arg, into a no-op transport) outside any context, in a process that never
 *     opened one (AsyncLocalStorage off: getStore() returns at once);
 *   - the same call outside any context once the process has used contexts (getStore() asks Node for the
 *     current async resource), and with only another library's AsyncLocalStorage on (Node's own cost of
 *     async hooks, which any AsyncLocalStorage user pays);
 *   - the same call inside a 2-field context ({ requestId, user });
 *   - a disabled call (debug on an INFO logger) outside and inside a context;
 *   - AsyncLocalStorage's getStore() alone, off and on: the hook's floor.
 * CPU time (process.cpuUsage) of n calls per round, 9 rounds, median. Run: npx tsx bench/context.bench.ts
 */
import { median } from './median';
import { SinkTransport } from './sink-transport';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as os from 'node:os';
import { logContextStorage } from '../src/context/log-context-storage';
import { runWithLogContext } from '../src/context/run-with-log-context';
import { createModuleLogger, getRootLogger, resetLogging } from '../src/logger/create-module-logger';

const ROUNDS = 9;

/** CPU ns per call of `loop(n)`, which makes n calls. */
function cpuNs(n: number, loop: (n: number) => void): number {
  const t0 = process.cpuUsage();
  loop(n);
  const d = process.cpuUsage(t0);
  return ((d.user + d.system) * 1000) / n;
}

function fmt(ns: number): string {
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1);
}

export async function main(): Promise<void> {
  resetLogging();
  // A format of its own that does nothing: no json() rendering, only the logger's work is measured.
  const sink = new SinkTransport({ format: { transform: (info) => info } });
  getRootLogger().setLevel('INFO').add(sink);
  const log = createModuleLogger('bench.ctx');
  const fields = { requestId: '3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b7c41', user: 'alice' };
  const foreign = new AsyncLocalStorage<object>();
  const N = 300_000;
  const D = 5_000_000;
  // One loop function per call shape, so each call site stays monomorphic (a shared `fn()` call would
  // cost more than the calls measured).
  const info = (n: number): void => {
    for (let i = 0; i < n; i++) log.info('user %s logged in', 'bob');
  };
  const debug = (n: number): void => {
    for (let i = 0; i < n; i++) log.debug('user %s logged in', 'bob');
  };
  let stores = 0;
  const getStore = (n: number): void => {
    for (let i = 0; i < n; i++) if (logContextStorage.getStore() !== undefined) stores++;
  };

  type Row = { name: string; run: () => number };
  const rows: Row[] = [
    {
      name: 'enabled, no context, contexts never used (ALS off)',
      run: () => {
        logContextStorage.disable();
        return cpuNs(N, info);
      },
    },
    {
      name: 'enabled, no context, contexts used elsewhere (ALS on)',
      run: () => {
        runWithLogContext(fields, () => undefined); // turns AsyncLocalStorage on
        return cpuNs(N, info);
      },
    },
    {
      // Node 20's own price of any AsyncLocalStorage (async hooks on every tick and promise), which
      // this bundle's getStore() does not see: ours stays off.
      name: 'enabled, no context, another AsyncLocalStorage on (ours off)',
      run: () => {
        logContextStorage.disable();
        foreign.run({}, () => undefined);
        const ns = cpuNs(N, info);
        foreign.disable();
        return ns;
      },
    },
    {
      name: 'enabled, inside a 2-field context',
      run: () => runWithLogContext(fields, () => cpuNs(N, info)),
    },
    {
      name: 'disabled (debug), no context, ALS off',
      run: () => {
        logContextStorage.disable();
        return cpuNs(D, debug);
      },
    },
    {
      name: 'disabled (debug), inside a 2-field context',
      run: () => runWithLogContext(fields, () => cpuNs(D, debug)),
    },
    {
      name: 'getStore() alone, ALS off',
      run: () => {
        logContextStorage.disable();
        return cpuNs(D, getStore);
      },
    },
    {
      name: 'getStore() alone, ALS on, no context',
      run: () => {
        runWithLogContext(fields, () => undefined);
        return cpuNs(D, getStore);
      },
    },
  ];
  // Warm-up, then the rounds with every row once per round, so that load changes hit all rows alike.
  for (const row of rows) row.run();
  const results = new Map<string, number[]>(rows.map((r) => [r.name, []]));
  for (let round = 0; round < ROUNDS; round++) for (const row of rows) results.get(row.name)!.push(row.run());
  logContextStorage.disable();
  if (sink.count === 0 || stores !== 0) throw new Error('the bench sink received nothing');

  const base = median(results.get(rows[0]!.name)!);
  console.log(`\nModule logger per-record cost with log contexts, CPU ns/call, median of ${ROUNDS} rounds`);
  console.log(
    `(load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  console.log('| call | ns/call | vs enabled, no context, ALS off |');
  console.log('|---|---:|---:|');
  for (const row of rows) {
    const ns = median(results.get(row.name)!);
    console.log(
      `| ${row.name} | ${fmt(ns)} | ${row.name.startsWith('enabled') ? `${((ns / base - 1) * 100).toFixed(1)}%` : '-'} |`,
    );
  }
}

if (require.main === module) void main();

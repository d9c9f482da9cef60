/* Import-cost benchmark (issue 10: the package on top of winston must cost ≤ 15 ms).
 *
 * The package is built with scripts/build.ts (what `npm run build` puts in dist/: one bundled file, so no
 * TypeScript loader is timed) into a temporary directory and loaded by plain `node` in fresh child processes. Each child
 * times `require()` with process.hrtime around it: winston alone, then the package on top of it (winston is
 * already loaded, so only the package's own modules count), and, in its own child, pino for comparison.
 * RUNS children per contender, alternating, medians. Run: npx tsx bench/import.bench.ts
 */
import { median } from './median';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from '../scripts/build';

const RUNS = 41;
/** The budget for the package on top of winston (issue 10). */
const BUDGET_MS = 15;

const ROOT = path.join(__dirname, '..');

/** Builds the package like `npm run build` does, into a temp dir whose node_modules is the project's. */
async function buildPackage(): Promise<{ dir: string; entry: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-import-bench-'));
  await build(path.join(dir, 'dist'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, entry: path.join(dir, 'dist', 'index.js') };
}

// Child scripts: the time of the require() calls only (node's own start-up is the same for everyone).
const WITH_PACKAGE = `
const cache = () => Object.keys(require.cache).length;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu();
const t0 = process.hrtime.bigint();
require('winston');
const t1 = process.hrtime.bigint();
const c1 = cpu();
const m1 = cache();
const b1 = new Set(process.moduleLoadList);
require(process.argv[1]);
const t2 = process.hrtime.bigint();
const c2 = cpu();
console.log(JSON.stringify({ winston: Number(t1 - t0) / 1e6, pkg: Number(t2 - t1) / 1e6,
  winstonCpu: c1 - c0, pkgCpu: c2 - c1, modules: cache() - m1,
  builtins: process.moduleLoadList.filter((m) => !b1.has(m) && m.startsWith('NativeModule ') && !m.includes('internal/'))
    .map((m) => m.slice(13)),
  drf: Object.keys(require.cache).some((k) => k.includes('winston-daily-rotate-file')),
  mongodb: Object.keys(require.cache).some((k) => /node_modules[\\\\/]mongodb[\\\\/]/.test(k)) }));
`;
const PINO = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu();
const t0 = process.hrtime.bigint();
require('pino');
console.log(JSON.stringify({ pino: Number(process.hrtime.bigint() - t0) / 1e6, pinoCpu: cpu() - c0 }));
`;

interface PackageRun {
  winston: number;
  pkg: number;
  winstonCpu: number;
  pkgCpu: number;
  modules: number;
  builtins: string[];
  drf: boolean;
  mongodb: boolean;
}

export async function main(): Promise<void> {
  const { dir, entry } = await buildPackage();
  try {
    const runs: PackageRun[] = [];
    const pino: { pino: number; pinoCpu: number }[] = [];
    const run = (script: string, args: string[]): string =>
      execFileSync(process.execPath, ['-e', script, ...args], { cwd: dir, encoding: 'utf8' });
    run(WITH_PACKAGE, [entry]); // warm the OS file cache once
    for (let i = 0; i < RUNS; i++) {
      runs.push(JSON.parse(run(WITH_PACKAGE, [entry])) as PackageRun);
      pino.push(JSON.parse(run(PINO, [])) as { pino: number; pinoCpu: number });
    }
    const winstonMs = median(runs.map((r) => r.winston));
    const pkgMs = median(runs.map((r) => r.pkg));
    const pinoMs = median(pino.map((p) => p.pino));
    const winstonCpu = median(runs.map((r) => r.winstonCpu));
    const pkgCpu = median(runs.map((r) => r.pkgCpu));
    const pinoCpu = median(pino.map((p) => p.pinoCpu));
    const fmt = (ms: number): string => ms.toFixed(1);
    console.log(
      `${RUNS} child processes each, medians (Node ${process.version}, ${os.cpus().length} cores)\n`,
    );
    // The ratios hold better than the milliseconds when other jobs load the machine; the CPU time
    // (process.cpuUsage) less than the wall time counts the waits for a core.
    console.log('| require() | wall ms | × winston | CPU ms | × winston |');
    console.log('|---|---:|---:|---:|---:|');
    const row = (name: string, ms: number, cpu: number): void =>
      console.log(
        `| ${name} | ${fmt(ms)} | ${(ms / winstonMs).toFixed(2)} | ${fmt(cpu)} | ${(cpu / winstonCpu).toFixed(2)} |`,
      );
    row('winston', winstonMs, winstonCpu);
    row(`winston-pylogging on top of winston (budget ${BUDGET_MS} ms)`, pkgMs, pkgCpu);
    row('pino (for comparison)', pinoMs, pinoCpu);
    console.log(`\nload average during the run: ${os.loadavg()[0]!.toFixed(1)}`);
    const first = runs[0]!;
    console.log(
      `\nmodules loaded by the package on top of winston: ${first.modules}; ` +
        `winston-daily-rotate-file loaded: ${String(first.drf)}; mongodb loaded: ${String(first.mongodb)}; ` +
        `Node builtins first loaded by the package: ${first.builtins.join(', ') || 'none'}`,
    );
    if (first.drf || first.mongodb) throw new Error('an optional part was loaded at import');
    if (pkgMs > BUDGET_MS) console.log(`OVER BUDGET: ${fmt(pkgMs)} ms > ${BUDGET_MS} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

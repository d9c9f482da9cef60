/* Format benchmark (issue 2: the Python-format formatter).
 *
 * The seed format '%(asctime)s - %(name)s - %(levelname)s - %(message)s', rendered to the same line by:
 *   (a) compilePythonFormat on a prepared record (created = now, as a logger sets it),
 *   (b) winston's format.combine(format.timestamp({ format: 'YYYY-MM-DD HH:mm:ss,SSS' }), format.printf(...))
 *       on a winston info (transform called directly, no stream) — the baseline of the ratios,
 *   (c) pythonFormat({ format: SEED }).transform on a winston info, when formats/python-format.ts exists,
 *   (d) CPython's logging.Formatter.format on the same record (timeit in a python3 child process).
 *
 * Timing: tight loops measured with process.hrtime.bigint, 7 rounds, median; prints ns/record and the
 * speed-up over (b). Run: npx tsx bench/format.bench.ts
 */
import { median } from './median';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL, MESSAGE } from 'triple-beam';
import winston from 'winston';
import { compilePythonFormat } from '../formats/python/compile-python-format';
import type { PythonLogRecord } from '../src/record/python-log-record';

const SEED = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
const ROUNDS = 7;
const N = 300_000;

/** ns per call of fn, median of ROUNDS rounds of n calls; `sink` keeps results alive. */
function time(n: number, fn: () => string): number {
  let sink = 0;
  for (let i = 0; i < Math.min(n, 100_000); i++) sink += fn().length; // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn().length;
    rounds.push(Number(process.hrtime.bigint() - t0) / n);
  }
  if (sink === 0) throw new Error('nothing rendered');
  return median(rounds);
}

function cpython(): number | undefined {
  const script = `
import logging, timeit
f = logging.Formatter(${JSON.stringify(SEED)})
r = logging.makeLogRecord({'name': 'app.database', 'levelno': 20, 'levelname': 'INFO', 'msg': 'Connection established', 'args': ()})
n = 200000
best = min(timeit.repeat(lambda: f.format(r), number=n, repeat=5))
print(best / n * 1e9)
`;
  try {
    return Number(execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim());
  } catch {
    return undefined;
  }
}

type Info = winston.Logform.TransformableInfo;

function winstonInfo(): Info {
  return {
    level: 'info',
    message: 'Connection established',
    [LEVEL]: 'info',
    logger: 'app.database',
  };
}

/** Runs the benchmark and prints a table (also called by bench/run-all.ts). */
export async function main(): Promise<void> {
  const compiled = compilePythonFormat(SEED);
  const record: PythonLogRecord = {
    name: 'app.database',
    levelno: 20,
    levelname: 'INFO',
    msg: 'Connection established',
    args: [],
    created: 0,
    msecs: 0,
    exc_info: null,
    exc_text: null,
    stack_info: null,
  };
  const a = time(N, () => {
    const now = Date.now();
    record.created = now / 1000;
    record.msecs = now % 1000;
    return compiled(record);
  });

  const printf = winston.format.combine(
    winston.format.timestamp({ format: 'YYYY-MM-DD HH:mm:ss,SSS' }),
    winston.format.printf(
      (info) =>
        `${String(info['timestamp'])} - ${String(info['logger'])} - ${info.level.toUpperCase()} - ${String(info.message)}`,
    ),
  );
  const b = time(N, () => {
    const out = printf.transform(winstonInfo(), printf.options) as Info;
    return out[MESSAGE] as string;
  });
  // Same line from both (the timestamps differ only by when they were taken).
  const sample = (printf.transform(winstonInfo(), printf.options) as Info)[MESSAGE] as string;
  const mine = compiled({ ...record, created: Date.now() / 1000 });
  if (sample.slice(23) !== mine.slice(23)) throw new Error(`lines differ:\n${sample}\n${mine}`);

  let c: number | undefined;
  let cNote = '';
  const leadPath = join(__dirname, '../formats/python-format.ts');
  if (existsSync(leadPath)) {
    const mod = (await import(leadPath)) as {
      pythonFormat?: (o: { format: string }) => winston.Logform.Format;
    };
    if (typeof mod.pythonFormat === 'function') {
      const pf = mod.pythonFormat({ format: SEED });
      c = time(N, () => (pf.transform(winstonInfo(), pf.options) as Info)[MESSAGE] as string);
    } else {
      cNote = 'formats/python-format.ts has no pythonFormat export yet';
    }
  } else {
    cNote = 'formats/python-format.ts does not exist yet';
  }
  const d = cpython();

  const row = (label: string, ns: number | undefined, note = ''): string =>
    ns === undefined
      ? `| ${label} | — | — | ${note} |`
      : `| ${label} | ${ns.toFixed(0)} | ${(b / ns).toFixed(1)}× | ${note} |`;
  console.log(`Seed format: ${SEED}  (ns/record, median of ${ROUNDS} rounds of ${N}; speed-up vs winston)\n`);
  console.log('| renderer | ns/record | vs winston timestamp+printf | note |');
  console.log('|---|---:|---:|---|');
  console.log(row('(a) compilePythonFormat(SEED)(record)', a));
  console.log(row('(b) winston combine(timestamp(), printf())', b, 'baseline'));
  console.log(row('(c) pythonFormat({ format: SEED }).transform(info)', c, cNote || 'target ≥ 5×'));
  console.log(
    row('(d) CPython logging.Formatter.format', d, d === undefined ? 'python3 not found' : 'python3 timeit'),
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

// Rotation benchmark (issue 3): 200,000 records (~100-byte messages) into a 10 MiB x 3 rotating file, timed
// from logger creation until every byte is on disk, through:
//   - the bundle: winston + WINSTON_LEVELS + pythonFormat (seed format, asctime included) + RotatingFileTransport
//     with its defaults (records written in batches of `bufferSize`, DEFAULT_BUFFER_SIZE: 64 KiB)
//   - winston + File (maxsize, maxFiles, tailable)        - winston + winston-daily-rotate-file (maxSize '10m')
//   - pino + pino-roll (size '10m', limit.count 3)        - CPython's RotatingFileHandler (when python3 is present)
// Each run is its own child process (plain node on an esbuild bundle of this file, so no tsx loader in the
// measured RSS), 3 runs per contender, medians printed. Lost lines: the files are read back after the
// child exits; every record index must be present exactly once, whole.
import { median } from './median';
import { bundleSelf } from './bundle-self';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const RECORDS = 200_000;
const MAX_BYTES = 10 * 1024 * 1024;
const BACKUPS = 3;
const RUNS = 3;
const SEED_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
const CONTENDERS = ['bundle', 'winston-file', 'winston-drf', 'pino-roll', 'cpython'] as const;
type Contender = (typeof CONTENDERS)[number];
const LABELS: Record<Contender, string> = {
  bundle: 'winston-pylogging RotatingFileTransport',
  'winston-file': 'winston + File',
  'winston-drf': 'winston + winston-daily-rotate-file',
  'pino-roll': 'pino + pino-roll',
  cpython: 'CPython RotatingFileHandler',
};

function message(i: number): string {
  const head = `record ${i} `;
  return head + 'm'.repeat(100 - head.length);
}

interface ChildResult {
  ms: number;
  rssMB: number;
  /** Lines in the directory at the moment the logger said 'finish' (winston) / the stream closed (pino). */
  linesAtFinish: number;
}

function countLines(dir: string): number {
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (!fs.statSync(p).isFile() || name.endsWith('.json')) continue;
    const buf = fs.readFileSync(p);
    for (let k = buf.indexOf(10); k !== -1; k = buf.indexOf(10, k + 1)) n++;
  }
  return n;
}

async function runChild(contender: Contender, dir: string): Promise<ChildResult> {
  const t0 = performance.now();
  if (contender === 'bundle') {
    const winston = (await import('winston')).default;
    const { WINSTON_LEVELS } = await import('../src/record/levels.js');
    const { pythonFormat } = await import('../formats/python-format.js');
    const { RotatingFileTransport } = await import('../transports/rotating-file.js');
    const logger = winston.createLogger({
      levels: WINSTON_LEVELS,
      level: 'debug',
      format: pythonFormat({ format: SEED_FORMAT }),
      transports: [
        new RotatingFileTransport({
          filename: path.join(dir, 'app.log'),
          maxBytes: MAX_BYTES,
          backupCount: BACKUPS,
        }),
      ],
    });
    for (let i = 0; i < RECORDS; i++) logger.info(message(i));
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
  } else if (contender === 'winston-file' || contender === 'winston-drf') {
    const winston = (await import('winston')).default;
    const DailyRotateFile = (await import('winston-daily-rotate-file')).default;
    const { combine, timestamp, printf } = winston.format;
    const transport =
      contender === 'winston-file'
        ? new winston.transports.File({
            filename: path.join(dir, 'app.log'),
            maxsize: MAX_BYTES,
            maxFiles: BACKUPS + 1,
            tailable: true,
          })
        : new DailyRotateFile({
            filename: path.join(dir, 'app-%DATE%.log'),
            maxSize: '10m',
            maxFiles: BACKUPS + 1,
          });
    const logger = winston.createLogger({
      level: 'debug',
      format: combine(
        timestamp({ format: 'YYYY-MM-DD HH:mm:ss,SSS' }),
        printf((i) => `${String(i.timestamp)} - root - ${i.level.toUpperCase()} - ${String(i.message)}`),
      ),
      transports: [transport],
    });
    for (let i = 0; i < RECORDS; i++) logger.info(message(i));
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
  } else if (contender === 'pino-roll') {
    const pino = (await import('pino')).default;
    const pinoRollModule = 'pino-roll'; // untyped package: a non-literal specifier keeps tsc out of it
    const pinoRoll = (
      (await import(pinoRollModule)) as { default: (o: object) => Promise<NodeJS.WritableStream> }
    ).default;
    const stream = await pinoRoll({
      file: path.join(dir, 'app'),
      extension: '.log',
      size: '10m',
      limit: { count: BACKUPS },
    });
    const logger = pino({ base: { name: 'root' } }, stream);
    for (let i = 0; i < RECORDS; i++) logger.info(message(i));
    const closed = once(stream, 'close');
    stream.end();
    await closed;
  }
  const ms = performance.now() - t0;
  const rssMB = process.resourceUsage().maxRSS / 1024; // before the read-back below inflates it
  return { ms, rssMB, linesAtFinish: countLines(dir) };
}

const PY_CHILD = `
import logging, logging.handlers, resource, sys, time
d, n, max_bytes, backups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
h = logging.handlers.RotatingFileHandler(d + '/app.log', maxBytes=max_bytes, backupCount=backups, encoding='utf-8')
h.setFormatter(logging.Formatter(${JSON.stringify(SEED_FORMAT)}))
log = logging.getLogger('root.bench')
log.propagate = False
log.addHandler(h)
log.setLevel(logging.DEBUG)
for i in range(n):
    head = 'record %d ' % i
    log.info(head + 'm' * (100 - len(head)))
h.close()
ms = (time.perf_counter() - t0) * 1000
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import os
lines = sum(open(os.path.join(d, f), 'rb').read().count(b'\\n') for f in os.listdir(d))
print('{"ms": %f, "rssMB": %f, "linesAtFinish": %d}' % (ms, rss, lines))
`;

interface Verdict {
  lost: number;
  torn: number;
  files: number;
  maxFileBytes: number;
}

function verify(dir: string): Verdict {
  const seen = new Uint8Array(RECORDS);
  let torn = 0;
  let files = 0;
  let maxFileBytes = 0;
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (!fs.statSync(p).isFile() || name.endsWith('.json')) continue;
    files++;
    const text = fs.readFileSync(p, 'utf8');
    maxFileBytes = Math.max(maxFileBytes, Buffer.byteLength(text));
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const m = /record (\d+) (m+)/.exec(line);
      const i = m === null ? -1 : Number(m[1]);
      if (m === null || m[0].length !== 100 || i >= RECORDS) torn++;
      else seen[i] = 1;
    }
  }
  let present = 0;
  for (const s of seen) present += s;
  return { lost: RECORDS - present, torn, files, maxFileBytes };
}

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}

/** Runs the benchmark and prints the side-by-side table. */
export async function main(): Promise<void> {
  const bundle = await bundleSelf(__filename, 'rotation-child');
  const nodePath = path.join(__dirname, '..', 'node_modules');
  const rows: Array<{
    c: Contender;
    rate: number;
    rss: number;
    lost: number;
    torn: number;
    maxFile: number;
    missingAtFinish: number;
  }> = [];
  for (const c of CONTENDERS) {
    if (c === 'cpython' && !hasPython()) continue;
    const rates: number[] = [];
    const rsss: number[] = [];
    let lost = 0;
    let torn = 0;
    let maxFile = 0;
    let missingAtFinish = 0;
    for (let r = 0; r < RUNS; r++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-rot-${c}-`));
      try {
        const out =
          c === 'cpython'
            ? execFileSync('python3', [
                '-c',
                PY_CHILD,
                dir,
                String(RECORDS),
                String(MAX_BYTES),
                String(BACKUPS),
              ])
            : execFileSync(process.execPath, [bundle, '--child', c, dir], {
                env: { ...process.env, NODE_PATH: nodePath },
              });
        const res = JSON.parse(out.toString().trim().split('\n').pop() ?? '{}') as ChildResult;
        const v = verify(dir);
        rates.push(RECORDS / (res.ms / 1000));
        rsss.push(res.rssMB);
        lost = Math.max(lost, v.lost);
        torn = Math.max(torn, v.torn);
        maxFile = Math.max(maxFile, v.maxFileBytes);
        missingAtFinish = Math.max(missingAtFinish, RECORDS - res.linesAtFinish);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push({ c, rate: median(rates), rss: median(rsss), lost, torn, maxFile, missingAtFinish });
  }
  const ours = rows.find((r) => r.c === 'bundle')?.rate ?? NaN;
  // Loaded here, not at the top: the children (this file bundled) run no more module code than they measure.
  const { DEFAULT_BUFFER_SIZE } = await import('../transports/shared/file-options.js');
  console.log(
    `\nRotation: ${RECORDS} records, maxBytes ${MAX_BYTES} x ${BACKUPS} backups, the bundle's default batch (bufferSize) ${DEFAULT_BUFFER_SIZE / 1024} KiB, median of ${RUNS} runs (${os.cpus().length} cores, Node ${process.version})\n`,
  );
  console.log(
    '| contender | records/s | bundle is × faster | peak RSS | lost lines | torn lines | not on disk at finish | largest file |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${LABELS[r.c]} | ${Math.round(r.rate).toLocaleString('en-US')} | ${r.c === 'bundle' ? '1.00' : (ours / r.rate).toFixed(2)} | ${Math.round(r.rss)} MB | ${r.lost} | ${r.torn} | ${r.missingAtFinish} | ${r.maxFile.toLocaleString('en-US')} B |`,
    );
  }
  console.log(
    `\nlargest file: maxBytes is ${MAX_BYTES.toLocaleString('en-US')} B. lost/torn: read back after the process exited; ` +
      `not on disk at finish: records missing when the logger said 'finish'. All three: worst of the runs.`,
  );
}

if (require.main === module) {
  const [flag, contender, dir] = process.argv.slice(2);
  if (flag === '--child') {
    runChild(contender as Contender, dir as string).then(
      (res) => console.log(JSON.stringify(res)),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  } else {
    main().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  }
}

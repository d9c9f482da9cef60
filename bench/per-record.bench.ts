// Per-record cost benchmark (issue 13): the CPU time one record costs, end to end into a rotating file,
// in every shape, side by side in one run:
//   - module: createModuleLogger('app.db') → root handler of configureLogging (RotatingFileHandler, seed format)
//   - plain:  winston.createLogger + pythonFormat + RotatingFileTransport
//   - winston-file: winston + File (timestamp + printf for the same line)
//   - pino-roll: pino + pino-roll (its JSON lines)
//   - cpython: logging.handlers.RotatingFileHandler with the seed format
//   - raw: the machine's limit for this job in Node: the same line formatted by hand, `writeSync` of 64 KiB
//     batches, the same size rule and rename chain (no logging library at all)
// Shapes: base (~100-byte message), `%`-args, a metadata object, an Error every 100th record, 1 KiB and 16 KiB
// messages, 64 KiB rotations. Every run is its own child process (plain node on an esbuild bundle of this
// file; python3 for CPython); the child reports the CPU time (user + system) from logger creation until every
// record is in the file, so the other jobs on a shared machine count less than in wall time. Rounds are
// interleaved (every contender of every shape once per round) and the median is printed. Every file is read
// back after the child exited: each record must be there exactly once, whole (the 64 KiB shape keeps only
// its last backups: there the kept records must be the newest ones, contiguous).
//
// `npx tsx bench/per-record.bench.ts [rounds] [shape,…] [contender,…]` (defaults: 5, all, all);
// BENCH_SCALE=0.25 runs a quarter of the records.
import { median } from './median';
import { bundleSelf } from './bundle-self';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SEED_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(message)s';
const LOGGER = 'app.db';
const CONTENDERS = ['module', 'plain', 'winston-file', 'pino-roll', 'cpython', 'raw'] as const;
type Contender = (typeof CONTENDERS)[number];
const LABELS: Record<Contender, string> = {
  module: 'module logger → configureLogging root handler',
  plain: 'plain winston + pythonFormat + RotatingFileTransport',
  'winston-file': 'winston + File (timestamp + printf)',
  'pino-roll': 'pino + pino-roll',
  cpython: 'CPython RotatingFileHandler',
  raw: 'raw Node (hand-formatted line, 64 KiB writeSync)',
};

interface Shape {
  /** Records per run (before BENCH_SCALE). */
  records: number;
  /** Length of the message text (the `record <i> ` head padded with 'm'). */
  size: number;
  maxBytes: number;
  /** Backups kept; undefined: enough to keep every record. */
  backups?: number;
  kind: 'plain' | 'args' | 'meta' | 'error';
}
const SHAPES: Record<string, Shape> = {
  base: { records: 200_000, size: 100, maxBytes: 10 * 1024 * 1024, kind: 'plain' },
  args: { records: 200_000, size: 100, maxBytes: 10 * 1024 * 1024, kind: 'args' },
  meta: { records: 200_000, size: 100, maxBytes: 10 * 1024 * 1024, kind: 'meta' },
  error100: { records: 100_000, size: 100, maxBytes: 10 * 1024 * 1024, kind: 'error' },
  '1k': { records: 50_000, size: 1024, maxBytes: 10 * 1024 * 1024, kind: 'plain' },
  '16k': { records: 10_000, size: 16 * 1024, maxBytes: 10 * 1024 * 1024, kind: 'plain' },
  rot64k: { records: 200_000, size: 100, maxBytes: 64 * 1024, backups: 3, kind: 'plain' },
};

function scaled(shape: Shape): number {
  const k = Number(process.env.BENCH_SCALE ?? '1');
  return Math.max(1000, Math.round(shape.records * (Number.isFinite(k) && k > 0 ? k : 1)));
}

function backupsOf(shape: Shape, records: number): number {
  if (shape.backups !== undefined) return shape.backups;
  // Enough backups to keep every record (the size rule rolls before the record that would reach maxBytes).
  return Math.ceil((records * (shape.size + 200)) / shape.maxBytes) + 2;
}

/** The padding of every message: `record <i> ` then 'm' up to `size` characters. */
function pad(i: number, size: number): string {
  const head = `record ${i} `;
  return head + 'm'.repeat(size - head.length);
}

// The same text for every contender; the `%`-args shape logs `record %d %s` with (i, tail).
const TAIL_CACHE = new Map<number, string>();
function tail(i: number, size: number): string {
  const len = size - `record ${i} `.length;
  let t = TAIL_CACHE.get(len);
  if (t === undefined) TAIL_CACHE.set(len, (t = 'm'.repeat(len)));
  return t;
}

interface ChildResult {
  cpuMs: number;
  wallMs: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function runChild(contender: Contender, shapeName: string, dir: string): Promise<ChildResult> {
  const shape = SHAPES[shapeName] as Shape;
  const n = scaled(shape);
  const size = shape.size;
  const file = path.join(dir, 'app.log');
  const backups = backupsOf(shape, n);
  const err = new Error('boom');
  let c0 = 0;
  let t0 = 0;
  const start = (): void => {
    c0 = cpuNow();
    t0 = performance.now();
  };
  if (contender === 'module' || contender === 'plain') {
    const winston = (await import('winston')).default;
    const pkg = await import('../src/index.js');
    if (contender === 'module') {
      start();
      pkg.configureLogging({
        version: 1,
        formatters: { std: { format: SEED_FORMAT } },
        handlers: {
          file: {
            class: 'logging.handlers.RotatingFileHandler',
            formatter: 'std',
            filename: file,
            maxBytes: shape.maxBytes,
            backupCount: backups,
          },
        },
        root: { level: 'DEBUG', handlers: ['file'] },
      });
    } else start();
    const log =
      contender === 'module'
        ? pkg.createModuleLogger(LOGGER)
        : winston.createLogger({
            levels: pkg.WINSTON_LEVELS,
            level: 'debug',
            defaultMeta: { logger: LOGGER },
            format: pkg.pythonFormat({ format: SEED_FORMAT }),
            transports: [
              new pkg.RotatingFileTransport({
                filename: file,
                maxBytes: shape.maxBytes,
                backupCount: backups,
              }),
            ],
          });
    const info = log.info.bind(log) as (m: unknown, ...a: unknown[]) => void;
    if (shape.kind === 'plain') for (let i = 0; i < n; i++) info(pad(i, size));
    else if (shape.kind === 'args') for (let i = 0; i < n; i++) info('record %d %s', i, tail(i, size));
    else if (shape.kind === 'meta') for (let i = 0; i < n; i++) info(pad(i, size), { user: 'bob', seq: i });
    else {
      const error = log.error.bind(log) as (m: unknown, ...a: unknown[]) => void;
      for (let i = 0; i < n; i++)
        if (i % 100 === 0) error(pad(i, size), err);
        else info(pad(i, size));
    }
    if (contender === 'module') await pkg.shutdown();
    else {
      const finished = once(log, 'finish');
      log.end();
      await finished;
    }
  } else if (contender === 'winston-file') {
    const winston = (await import('winston')).default;
    const { combine, timestamp, printf } = winston.format;
    start();
    const log = winston.createLogger({
      level: 'debug',
      format: combine(
        timestamp({ format: 'YYYY-MM-DD HH:mm:ss,SSS' }),
        printf((i) => {
          const line = `${String(i.timestamp)} - ${LOGGER} - ${i.level.toUpperCase()} - ${String(i.message)}`;
          return typeof i.stack === 'string' ? `${line}\n${i.stack}` : line;
        }),
      ),
      transports: [
        new winston.transports.File({
          filename: file,
          maxsize: shape.maxBytes,
          maxFiles: backups + 1,
          tailable: true,
        }),
      ],
    });
    if (shape.kind === 'plain') for (let i = 0; i < n; i++) log.info(pad(i, size));
    else if (shape.kind === 'args') {
      // winston's own `%` is the splat() format; the line is the same.
      log.format = combine(winston.format.splat(), log.format);
      for (let i = 0; i < n; i++) log.info('record %d %s', i, tail(i, size));
    } else if (shape.kind === 'meta')
      for (let i = 0; i < n; i++) log.info(pad(i, size), { user: 'bob', seq: i });
    else
      for (let i = 0; i < n; i++)
        if (i % 100 === 0) log.error(pad(i, size), err);
        else log.info(pad(i, size));
    const finished = once(log, 'finish');
    log.end();
    await finished;
  } else if (contender === 'pino-roll') {
    const pino = (await import('pino')).default;
    const pinoRollModule = 'pino-roll'; // untyped package: a non-literal specifier keeps tsc out of it
    const pinoRoll = (
      (await import(pinoRollModule)) as { default: (o: object) => Promise<NodeJS.WritableStream> }
    ).default;
    start();
    const stream = await pinoRoll({
      file: path.join(dir, 'app'),
      extension: '.log',
      size: `${Math.round(shape.maxBytes / 1024)}k`,
      limit: { count: backups },
    });
    const log = pino({ base: { name: LOGGER } }, stream);
    if (shape.kind === 'plain') for (let i = 0; i < n; i++) log.info(pad(i, size));
    else if (shape.kind === 'args') for (let i = 0; i < n; i++) log.info('record %d %s', i, tail(i, size));
    else if (shape.kind === 'meta')
      for (let i = 0; i < n; i++) log.info({ user: 'bob', seq: i }, pad(i, size));
    else
      for (let i = 0; i < n; i++)
        if (i % 100 === 0) log.error(err, pad(i, size));
        else log.info(pad(i, size));
    const closed = once(stream, 'close');
    stream.end();
    await closed;
  } else if (contender === 'raw') {
    start();
    rawSystem(file, shape, n, backups, err);
  }
  return { cpuMs: cpuNow() - c0, wallMs: performance.now() - t0 };
}

/**
 * The limit: what this job costs in Node without a logging library. The seed line formatted by hand (the
 * `YYYY-MM-DD HH:MM:SS` text cached per second), appended to a string, written with one `writeSync` per
 * 64 KiB; before each batch the size rule splits it where a record would reach maxBytes, and the rename
 * chain of RotatingFileHandler runs.
 */
function rawSystem(file: string, shape: Shape, n: number, backups: number, err: Error): void {
  let fd = fs.openSync(file, 'a');
  let size = fs.fstatSync(fd).size;
  const max = shape.maxBytes;
  const rotate = (): void => {
    fs.closeSync(fd);
    for (let i = backups - 1; i > 0; i--) {
      if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    fs.renameSync(file, `${file}.1`);
    fd = fs.openSync(file, 'a');
    size = 0;
  };
  let buf = '';
  const put = (line: string): void => {
    const bytes = Buffer.byteLength(line);
    if (size + buf.length + bytes >= max && size + buf.length > 0) {
      if (buf !== '') fs.writeSync(fd, buf);
      buf = '';
      rotate();
    }
    buf += line;
    if (buf.length >= 65536) {
      size += fs.writeSync(fd, buf);
      buf = '';
    }
  };
  let sec = -1;
  let secText = '';
  const stamp = (): string => {
    const now = Date.now();
    const s = Math.floor(now / 1000);
    if (s !== sec) {
      sec = s;
      const d = new Date(s * 1000);
      const p = (v: number): string => (v < 10 ? `0${v}` : String(v));
      secText = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }
    const ms = now % 1000;
    return `${secText},${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}`;
  };
  const size0 = shape.size;
  for (let i = 0; i < n; i++) {
    if (shape.kind === 'error' && i % 100 === 0) {
      put(`${stamp()} - ${LOGGER} - ERROR - ${pad(i, size0)}\n${String(err.stack)}\n`);
    } else if (shape.kind === 'args') {
      put(`${stamp()} - ${LOGGER} - INFO - record ${i} ${tail(i, size0)}\n`);
    } else {
      put(`${stamp()} - ${LOGGER} - INFO - ${pad(i, size0)}\n`);
    }
  }
  if (buf !== '') fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

const PY_CHILD = `
import logging, logging.handlers, sys, time
d, n, max_bytes, backups, size, kind = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
c0 = time.process_time(); t0 = time.perf_counter()
h = logging.handlers.RotatingFileHandler(d + '/app.log', maxBytes=max_bytes, backupCount=backups, encoding='utf-8')
h.setFormatter(logging.Formatter(${JSON.stringify(SEED_FORMAT)}))
root = logging.getLogger()
root.addHandler(h)
root.setLevel(logging.DEBUG)
log = logging.getLogger(${JSON.stringify(LOGGER)})
tails = {}
def tail(i):
    k = size - len('record %d ' % i)
    t = tails.get(k)
    if t is None:
        t = tails[k] = 'm' * k
    return t
def pad(i):
    return 'record %d ' % i + tail(i)
try:
    raise ValueError('boom')
except ValueError as e:
    err = e
if kind == 'plain':
    for i in range(n): log.info(pad(i))
elif kind == 'args':
    for i in range(n): log.info('record %d %s', i, tail(i))
elif kind == 'meta':
    for i in range(n): log.info(pad(i), extra={'user': 'bob', 'seq': i})
else:
    for i in range(n):
        if i % 100 == 0: log.error(pad(i), exc_info=err)
        else: log.info(pad(i))
h.close()
print('{"cpuMs": %f, "wallMs": %f}' % ((time.process_time() - c0) * 1000, (time.perf_counter() - t0) * 1000))
`;

interface Verdict {
  ok: boolean;
  problem?: string;
}

/**
 * Every record exactly once and whole; with a bounded number of backups, the records kept must be the newest,
 * contiguous. Lines that carry no record (a traceback's lines) are skipped.
 */
function verify(dir: string, shape: Shape, n: number, contender: Contender): Verdict {
  const seen = new Uint8Array(n);
  let torn = 0;
  let dup = 0;
  const json = contender === 'pino-roll';
  const re = /record (\d+) (m*)/;
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (!fs.statSync(p).isFile() || name.endsWith('.json') || name.endsWith('.lock')) continue;
    const text = fs.readFileSync(p, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.includes('record ')) continue;
      if (json && !line.endsWith('}')) {
        torn++;
        continue;
      }
      const m = re.exec(line);
      if (m === null) continue; // a traceback line
      const i = Number(m[1]);
      if (m[0].length !== shape.size || i >= n) torn++;
      else if (seen[i] === 1) dup++;
      else seen[i] = 1;
    }
  }
  let present = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (seen[i] === 1) {
      present++;
      if (first === -1) first = i;
    }
  }
  const expected = shape.backups === undefined ? n : n - Math.max(first, 0);
  const lost = expected - present;
  if (torn + dup + lost === 0 && (shape.backups !== undefined || first === 0) && seen[n - 1] === 1)
    return { ok: true };
  return { ok: false, problem: `lost ${lost}, torn ${torn}, duplicated ${dup}` };
}

function tally(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}

/** Runs the benchmark and prints the side-by-side table of every shape. */
export async function main(argv: string[] = []): Promise<void> {
  const rounds = Number(argv[0] ?? process.env.BENCH_ROUNDS ?? 5);
  const shapes = argv[1] ? argv[1].split(',') : Object.keys(SHAPES);
  const contenders = (argv[2] ? argv[2].split(',') : [...CONTENDERS]).filter(
    (c) => c !== 'cpython' || hasPython(),
  ) as Contender[];
  const bundle = await bundleSelf(__filename, 'per-record-child');
  const nodePath = path.join(__dirname, '..', 'node_modules');
  const cpu = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  const problems: string[] = [];
  const loads: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const s of shapes) {
      const shape = SHAPES[s];
      if (shape === undefined)
        throw new Error(`unknown shape ${s}; shapes: ${Object.keys(SHAPES).join(', ')}`);
      const n = scaled(shape);
      for (const c of contenders) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-rec-${c}-`));
        try {
          loads.push(os.loadavg()[0] as number);
          let out: Buffer;
          try {
            out =
              c === 'cpython'
                ? execFileSync('python3', [
                    '-c',
                    PY_CHILD,
                    dir,
                    String(n),
                    String(shape.maxBytes),
                    String(backupsOf(shape, n)),
                    String(shape.size),
                    shape.kind,
                  ])
                : execFileSync(process.execPath, [bundle, '--child', c, s, dir], {
                    env: { ...process.env, NODE_PATH: nodePath },
                    maxBuffer: 64 * 1024 * 1024,
                    stdio: ['ignore', 'pipe', 'pipe'],
                  });
          } catch (e) {
            const stderr = String((e as { stderr?: unknown }).stderr ?? e).split('\n')[0];
            problems.push(`${s} / ${c}: the child failed (${stderr})`);
            continue;
          }
          const res = JSON.parse(out.toString().trim().split('\n').pop() ?? '{}') as ChildResult;
          const v = verify(dir, shape, n, c);
          if (!v.ok) problems.push(`${s} / ${c}: ${v.problem}`);
          const key = `${s}\u0000${c}`;
          (cpu.get(key) ?? cpu.set(key, []).get(key)!).push((res.cpuMs * 1000) / n);
          (wall.get(key) ?? wall.set(key, []).get(key)!).push((res.wallMs * 1000) / n);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  }
  const load = os.loadavg();
  console.log(
    `\nPer-record cost: CPU µs/record (user + system, from logger creation until every record is in the file), ` +
      `median of ${rounds} interleaved rounds; ${os.cpus().length} cores, Node ${process.version}; ` +
      `load average during the run ${median(loads).toFixed(2)} (median of samples), at the end ${load.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  const header = [
    'shape (records)',
    ...contenders.map((c) => c),
    'module ÷ pino-roll (speed)',
    'module ÷ CPython (speed)',
    'module time ÷ raw',
    'issue 13 targets',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(
    `|---|${header
      .slice(1)
      .map(() => '---:')
      .join('|')}|`,
  );
  for (const s of shapes) {
    const get = (c: Contender): number => median(cpu.get(`${s}\u0000${c}`) ?? []);
    const m = get('module');
    const cells = contenders.map((c) => get(c).toFixed(2));
    const ratio = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
    // Issue 13: base ≤ 2.5× raw's time and ≥ 2.5× pino-roll; every shape ≥ 1.5× pino-roll and ≥ 1× CPython.
    const vsPino = get('pino-roll') / m;
    const vsPy = get('cpython') / m;
    const vsRaw = m / get('raw');
    const checks: Array<[number, boolean, string]> = [
      [vsPino, vsPino >= (s === 'base' ? 2.5 : 1.5), `pino-roll ≥ ${s === 'base' ? '2.5' : '1.5'}×`],
      [vsPy, vsPy >= 1, 'CPython ≥ 1×'],
    ];
    if (s === 'base') checks.push([vsRaw, vsRaw <= 2.5, 'time ≤ 2.5× raw']);
    const verdict = checks
      .filter(([x]) => Number.isFinite(x))
      .map(([, ok, what]) => `${ok ? 'met' : 'MISSED'}: ${what}`)
      .join(', ');
    console.log(
      `| ${s} (${scaled(SHAPES[s] as Shape).toLocaleString('en-US')}) | ${cells.join(' | ')} | ${ratio(vsPino)} | ${ratio(vsPy)} | ${ratio(vsRaw)} | ${verdict} |`,
    );
  }
  console.log(`\n${contenders.map((c) => `${c}: ${LABELS[c]}`).join('; ')}.`);
  console.log('\nWall µs/record (same runs, medians):\n');
  console.log(`| shape | ${contenders.join(' | ')} |`);
  console.log(`|---|${contenders.map(() => '---:').join('|')}|`);
  for (const s of shapes) {
    console.log(
      `| ${s} | ${contenders.map((c) => median(wall.get(`${s}\u0000${c}`) ?? []).toFixed(2)).join(' | ')} |`,
    );
  }
  console.log(
    problems.length === 0
      ? '\nEvery run verified on disk: each record exactly once, whole (64 KiB shape: the newest records, contiguous).'
      : `\nVerification problems (every other run verified):\n${[...tally(problems)].map(([p, k]) => `- ${p} (${k} of ${rounds} rounds)`).join('\n')}`,
  );
}

if (require.main === module) {
  const [flag, contender, shape, dir] = process.argv.slice(2);
  if (flag === '--child') {
    runChild(contender as Contender, shape as string, dir as string).then(
      (res) => console.log(JSON.stringify(res)),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  } else {
    main(process.argv.slice(2)).catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
  }
}

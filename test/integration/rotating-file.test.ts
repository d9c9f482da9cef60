import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import winston from 'winston';
import Transport from 'winston-transport';
import { MESSAGE } from 'triple-beam';
import { WINSTON_LEVELS } from '../../src/record/levels';
import { pythonFormat } from '../../formats/python-format';
import { RotatingFileTransport, type RotatingFileTransportOptions } from '../../transports/rotating-file';

// Real winston loggers, real files. Fault cases run with a second transport on the same logger that
// must keep receiving every record.

class Collect extends Transport {
  readonly lines: string[] = [];
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.lines.push(String(info[MESSAGE]));
    next();
  }
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rot-int-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const plain = winston.format.printf((i) => String(i.message));

function make(options: Partial<RotatingFileTransportOptions> & { filename: string }): {
  logger: winston.Logger;
  file: RotatingFileTransport;
  other: Collect;
  warnings: Error[];
} {
  const file = new RotatingFileTransport({ faultsToStderr: false, retryInterval: 30, ...options });
  const other = new Collect();
  const warnings: Error[] = [];
  file.on('warn', (e: Error) => warnings.push(e));
  const logger = winston.createLogger({ level: 'info', format: plain, transports: [file, other] });
  return { logger, file, other, warnings };
}

async function end(logger: winston.Logger): Promise<void> {
  const finished = once(logger, 'finish');
  logger.end();
  await finished;
}

function read(p: string): string {
  return fs.readFileSync(p, 'utf8');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('RotatingFileTransport through winston', () => {
  it("logger.end() then 'finish' means every accepted record is in the file", async () => {
    const filename = path.join(tmp, 'app.log');
    const { logger } = make({ filename });
    for (let i = 0; i < 5000; i++) logger.info(`line ${i}`);
    await end(logger);
    const lines = read(filename).split('\n');
    expect(lines.length).toBe(5001);
    expect(lines[4999]).toBe('line 4999');
  });

  it('keeps a startup burst logged before the file is open (delay: true)', async () => {
    const filename = path.join(tmp, 'deep', 'er', 'app.log');
    const { logger, file } = make({ filename, delay: true, maxBytes: 100, backupCount: 50 });
    expect(fs.existsSync(filename)).toBe(false);
    for (let i = 0; i < 20; i++) logger.info(`burst ${String(i).padStart(2, '0')}`);
    await file.flush();
    const names = fs.readdirSync(path.dirname(filename));
    const all = names
      .map((n) => read(path.join(path.dirname(filename), n)))
      .join('')
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${String(i).padStart(2, '0')}`));
    await end(logger);
  });

  it('200,000 records across many rotations: exactly the newest records that fit are kept, in order, whole', async () => {
    const filename = path.join(tmp, 'app.log');
    const maxBytes = 256 * 1024;
    const backupCount = 5;
    const { logger } = make({ filename, maxBytes, backupCount });
    const rotations: Array<[string, string]> = [];
    const t = logger.transports[0] as RotatingFileTransport;
    t.on('rotate', (from: string, to: string) => rotations.push([from, to]));
    const pad = 'x'.repeat(60);
    const N = 200_000;
    for (let i = 0; i < N; i++) logger.info(`${i} ${pad}`);
    await end(logger);

    const order = [5, 4, 3, 2, 1].map((i) => `${filename}.${i}`).concat(filename);
    expect(fs.readdirSync(tmp).sort()).toEqual([
      'app.log',
      'app.log.1',
      'app.log.2',
      'app.log.3',
      'app.log.4',
      'app.log.5',
    ]);
    const kept: number[] = [];
    for (const f of order) {
      const text = read(f);
      const size = fs.statSync(f).size;
      expect(size).toBeLessThan(maxBytes);
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) {
        expect(line).toMatch(/^\d+ x{60}$/);
        kept.push(Number(line.split(' ')[0]));
      }
      // Rolled as late as possible: the first record of the next file would have reached maxBytes.
      if (f !== filename) {
        const nextFirst = read(order[order.indexOf(f) + 1]!).split('\n')[0]!;
        expect(size + Buffer.byteLength(nextFirst + '\n')).toBeGreaterThanOrEqual(maxBytes);
      }
    }
    expect(kept[kept.length - 1]).toBe(N - 1);
    for (let k = 1; k < kept.length; k++) expect(kept[k]).toBe(kept[k - 1]! + 1);
    // Every rotation moved the live file to .1; the number of rotations accounts for every record.
    expect(rotations.every(([from, to]) => from === filename && to === `${filename}.1`)).toBe(true);
    const lineBytes = Buffer.byteLength(`0 ${pad}\n`);
    expect(rotations.length).toBeGreaterThan((N * lineBytes) / maxBytes - 10);
  });

  it('works with the bundle: WINSTON_LEVELS + pythonFormat, Korean text counted in bytes', async () => {
    const filename = path.join(tmp, 'app.log');
    // 41 + 20 bytes >= 60 rolls over; CPython counts 41 + 12 characters and would not.
    const file = new RotatingFileTransport({ filename, maxBytes: 60, backupCount: 3, faultsToStderr: false });
    const logger = winston.createLogger({
      levels: WINSTON_LEVELS,
      level: 'debug',
      format: pythonFormat({ format: '%(levelname)s - %(message)s' }),
      transports: [file],
    });
    logger.log('warning', '가나다라마바사아자차');
    logger.log('info', '카타파하');
    await end(logger);
    expect(read(`${filename}.1`)).toBe('WARNING - 가나다라마바사아자차\n');
    expect(read(filename)).toBe('INFO - 카타파하\n');
  });

  it('close() is idempotent, also through logger.close() (winston unpipes and calls close)', async () => {
    const filename = path.join(tmp, 'app.log');
    const { logger, file } = make({ filename });
    logger.info('one');
    logger.close();
    file.close();
    file.close();
    await file.flush();
    expect(read(filename)).toBe('one\n');
  });

  it("emits 'logged' per record and 'new' when it opens a file", async () => {
    const filename = path.join(tmp, 'app.log');
    const { logger, file } = make({ filename, delay: true, maxBytes: 10, backupCount: 1 });
    const logged: unknown[] = [];
    const opened: string[] = [];
    file.on('logged', (i) => logged.push(i));
    file.on('new', (f: string) => opened.push(f));
    logger.info('aaaa');
    logger.info('bbbb');
    await end(logger);
    expect(logged).toHaveLength(2);
    expect(opened).toEqual([filename, filename]);
  });
});

describe('RotatingFileTransport faults: reported once, the app and the other transports go on', () => {
  it('a path under a regular file (ENOTDIR; as root this stands in for an unwritable directory), then recovery', async () => {
    const blocker = path.join(tmp, 'logs');
    fs.writeFileSync(blocker, 'not a directory');
    const filename = path.join(blocker, 'app.log');
    const { logger, other, warnings } = make({ filename });
    for (let i = 0; i < 10; i++) logger.info(`r${i}`);
    await sleep(80);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`cannot open ${filename}`);
    expect(warnings[0]!.message).toContain('ENOTDIR');
    expect(other.lines).toHaveLength(10);
    fs.unlinkSync(blocker); // the fault clears: the directory can be created now
    await sleep(100);
    logger.info('after');
    await end(logger);
    expect(read(filename)).toBe([...Array.from({ length: 10 }, (_, i) => `r${i}`), 'after', ''].join('\n'));
    expect(warnings).toHaveLength(1);
  });

  it('a directory the process may not write (EACCES; /sys as root, chmod 0o500 otherwise)', async () => {
    let filename: string;
    if (process.getuid?.() === 0) {
      filename = '/sys/winston-pylogging-test.log';
    } else {
      fs.mkdirSync(path.join(tmp, 'ro'), { mode: 0o500 });
      filename = path.join(tmp, 'ro', 'app.log');
    }
    const { logger, other, warnings } = make({ filename });
    for (let i = 0; i < 5; i++) logger.info(`r${i}`);
    await sleep(80);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/EACCES|EPERM|EROFS/);
    expect(other.lines).toHaveLength(5);
    await end(logger);
  });

  it('the filename is a directory (EISDIR), then the directory goes away', async () => {
    const filename = path.join(tmp, 'app.log');
    fs.mkdirSync(filename);
    const { logger, other, warnings } = make({ filename });
    logger.info('kept');
    await sleep(60);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('EISDIR');
    fs.rmdirSync(filename);
    await sleep(100);
    logger.info('later');
    await end(logger);
    expect(read(filename)).toBe('kept\nlater\n');
    expect(other.lines).toEqual(['kept', 'later']);
  });

  it('disk full (/dev/full gives ENOSPC): one warning, never rotated, the logger stays up', async () => {
    const { logger, file, other, warnings } = make({
      filename: '/dev/full',
      maxBytes: 10,
      backupCount: 2,
      maxQueuedBytes: 1000,
    });
    for (let i = 0; i < 500; i++) logger.info(`record ${i}`);
    await sleep(120);
    for (let i = 0; i < 500; i++) logger.info(`record ${i}`);
    await end(logger);
    expect(other.lines).toHaveLength(1000);
    const kinds = warnings.map((w) => w.message);
    expect(kinds.filter((m) => m.includes('disk full'))).toHaveLength(1);
    expect(kinds.filter((m) => m.includes('ENOSPC'))).toHaveLength(1);
    expect(kinds.filter((m) => m.includes('dropping new records'))).toHaveLength(1);
    expect(fs.existsSync('/dev/full.1')).toBe(false);
    expect(file.droppedRecords).toBeGreaterThan(0);
  });

  it('the file deleted by another program while open: reported, reopened, later records land in the new file', async () => {
    const filename = path.join(tmp, 'app.log');
    const { logger, file, warnings } = make({ filename });
    logger.info('before');
    await file.flush();
    fs.unlinkSync(filename);
    logger.info('after');
    await end(logger);
    expect(read(filename)).toBe('after\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('was deleted or renamed by another program; reopening it');
  });

  it('the file renamed by another program while open (logrotate without copytruncate)', async () => {
    const filename = path.join(tmp, 'app.log');
    const { logger, file, warnings } = make({ filename });
    logger.info('before');
    await file.flush();
    fs.renameSync(filename, path.join(tmp, 'app.log.old'));
    logger.info('after');
    await end(logger);
    expect(read(path.join(tmp, 'app.log.old'))).toBe('before\n');
    expect(read(filename)).toBe('after\n');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('was deleted or renamed by another program; reopening it'),
    ]);
  });

  it('a rename failing during rotation (the backup name is a non-empty directory): no line lost, retried later', async () => {
    const filename = path.join(tmp, 'app.log');
    fs.mkdirSync(`${filename}.1`);
    fs.writeFileSync(path.join(`${filename}.1`, 'keep'), 'x');
    const { logger, file, other, warnings } = make({
      filename,
      maxBytes: 20,
      backupCount: 1,
      retryInterval: 50,
    });
    for (let i = 0; i < 6; i++) logger.info(`line ${i}`); // 7 bytes each: a rollover is due every 2 records
    await file.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('rollover of');
    expect(read(filename)).toBe('line 0\nline 1\nline 2\nline 3\nline 4\nline 5\n');
    fs.rmSync(`${filename}.1`, { recursive: true });
    await sleep(80);
    logger.info('line 6');
    await end(logger);
    expect(read(`${filename}.1`)).toBe('line 0\nline 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(read(filename)).toBe('line 6\n');
    expect(other.lines).toHaveLength(7);
    expect(warnings).toHaveLength(1);
  });
});

import { EventEmitter, once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { ConfigError } from '../../../src/errors';
import {
  TimedRotatingFileTransport,
  type TimedRotatingFileTransportOptions,
} from '../../../transports/timed-rotating-file';
import { MemoryTransport } from '../../helpers/memory-transport';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trf-dated-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const plain = winston.format.printf((i) => String(i.message));

function dated(options: Partial<TimedRotatingFileTransportOptions> = {}): TimedRotatingFileTransport {
  return new TimedRotatingFileTransport({
    filename: path.join(tmp, 'app.log'),
    layout: 'dated',
    when: 'D',
    utc: true,
    faultsToStderr: false,
    ...options,
  });
}

/** The lines of every `app.log.*` file in `dir`, files in name order (gz files unpacked). */
function allLines(dir: string): string[] {
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('app.log.'))
    .sort();
  const lines: string[] = [];
  for (const n of names) {
    const raw = fs.readFileSync(path.join(dir, n));
    const text = (n.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    lines.push(...text.split('\n').slice(0, -1));
  }
  return lines;
}

/** The UTC date as CPython's 'D' suffix spells it; the dated file of today. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

const waitFor = async (ok: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("TimedRotatingFileTransport layout 'dated' options", () => {
  it.each([
    [{ when: 'W0' }, 'when', 'no weekly rotation'],
    [{ when: 'D', interval: 2 }, 'interval', "with when 'D' expected 1"],
    [{ when: 'midnight', interval: 3 }, 'interval', "with when 'midnight' expected 1"],
    [{ when: 'S', interval: 5 }, 'interval', "with when 'S' expected 1"],
    [{ when: 'M', interval: 7 }, 'interval', 'expected 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30'],
    [{ when: 'H', interval: 5 }, 'interval', 'expected 1, 2, 3, 4, 6, 8, 12'],
    [{ when: 'midnight', atTime: { hour: 3 } }, 'atTime', "not supported with layout: 'dated'"],
    [{ namer: (n: string) => n }, 'namer', "use layout 'python'"],
    [{ maxFiles: 0 }, 'maxFiles', "expected a number of files >= 1 or a number of days such as '14d'"],
    [{ maxFiles: '2w' }, 'maxFiles', "such as '14d'"],
    [{ maxFiles: 3, backupCount: 2 }, 'backupCount', 'cannot be combined with maxFiles'],
    [{ zippedArchive: 'yes' }, 'zippedArchive', 'expected true or false'],
    [{ createSymlink: 1 }, 'createSymlink', 'expected true or false'],
    [{ symlinkName: 'logs/current.log' }, 'symlinkName', 'without a directory'],
    [{ auditFile: '' }, 'auditFile', 'expected a non-empty path'],
    [{ filename: 'app:1.log' }, 'filename', 'refuses the characters'],
    [{ layout: 'daily' }, 'layout', "expected 'python' or 'dated'"],
  ])('rejects %j with a ConfigError naming %s and what is allowed', (bad, key, allowed) => {
    const make = () => dated(bad as Partial<TimedRotatingFileTransportOptions>);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(`option "${key}"`);
    expect(make).toThrow(allowed);
  });

  it("rejects winston-daily-rotate-file's options in the default python layout", () => {
    const make = () =>
      new TimedRotatingFileTransport({
        filename: path.join(tmp, 'app.log'),
        maxFiles: 3,
        zippedArchive: true,
      });
    expect(make).toThrow(`option "maxFiles" is 3; only allowed with layout: 'dated'`);
    expect(make).toThrow(`option "zippedArchive" is true; only allowed with layout: 'dated'`);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("names files with CPython's suffix for the clock-aligned step (when 'M', interval 15)", async () => {
    const t = dated({ when: 'M', interval: 15 });
    const logger = winston.createLogger({ format: plain, transports: [t] });
    logger.info('one');
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    const names = fs.readdirSync(tmp).filter((n) => n.startsWith('app.log.'));
    expect(names).toHaveLength(1);
    const m = /^app\.log\.\d{4}-\d{2}-\d{2}_\d{2}-(\d{2})$/.exec(names[0]!);
    expect(m).not.toBeNull();
    expect(Number(m![1]) % 15).toBe(0);
  });

  it('places the date where filename has %DATE%, and opens the file only with the first record under delay', async () => {
    const t = dated({ filename: path.join(tmp, 'logs', 'app-%DATE%.log'), delay: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(path.join(tmp, 'logs'))).toBe(false);
    const logger = winston.createLogger({ format: plain, transports: [t] });
    logger.info('late');
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(fs.readFileSync(path.join(tmp, 'logs', `app-${todayUtc()}.log`), 'utf8')).toBe('late\n');
  });
});

describe("TimedRotatingFileTransport layout 'dated'", () => {
  it("'finish' comes after every record is in the file: 5,000 records read right after it", async () => {
    const t = dated();
    const logger = winston.createLogger({ format: plain, transports: [t] });
    for (let i = 0; i < 5000; i++) logger.info(`record ${i}`);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    const lines = allLines(tmp);
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toBe('record 0');
    expect(lines[4999]).toBe('record 4999');
  });

  it('the same test against a bare winston-daily-rotate-file transport finds records missing (the test can fail)', async () => {
    const t = new DailyRotateFile({
      filename: path.join(tmp, 'app.log.%DATE%'),
      datePattern: 'YYYY-MM-DD',
      utc: true,
      auditFile: path.join(tmp, 'audit.json'),
    });
    const logger = winston.createLogger({ format: plain, transports: [t] });
    for (let i = 0; i < 5000; i++) logger.info(`record ${i}`);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    const atFinish = allLines(tmp).length;
    expect(atFinish).toBeLessThan(5000);
    // The records were accepted, only late: they arrive after 'finish'.
    await waitFor(() => allLines(tmp).length === 5000);
  });

  it("rolls over when the date text changes (when 'S', injected clock), emitting DRF's 'new' and 'rotate'", async () => {
    let clock = Date.UTC(2026, 10, 21, 13, 5, 0, 400);
    const t = dated({ when: 'S', now: () => clock });
    const news: string[] = [];
    const rotates: Array<[string, string]> = [];
    t.on('new', (f: string) => news.push(f));
    t.on('rotate', (from: string, to: string) => rotates.push([from, to]));
    const logger = winston.createLogger({ format: plain, transports: [t] });
    logger.info('first');
    clock += 1000;
    for (let i = 0; i < 1000; i++) logger.info(`second ${i}`);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    const names = fs
      .readdirSync(tmp)
      .filter((n) => n.startsWith('app.log.'))
      .sort();
    expect(names).toEqual(['app.log.2026-11-21_13-05-00', 'app.log.2026-11-21_13-05-01']);
    expect(fs.readFileSync(path.join(tmp, names[0]!), 'utf8')).toBe('first\n');
    expect(fs.readFileSync(path.join(tmp, names[1]!), 'utf8').split('\n')).toHaveLength(1001);
    expect(news).toEqual(names.map((n) => path.join(tmp, n)));
    expect(rotates).toEqual([[path.join(tmp, names[0]!), path.join(tmp, names[1]!)]]);
  });

  it("emits 'archive' (zippedArchive) and 'logRemoved' (backupCount n keeps n + 1 files), DRF's audit format", async () => {
    let clock = Date.UTC(2026, 10, 21, 13, 5, 0, 400);
    const t = dated({ when: 'S', zippedArchive: true, backupCount: 1, now: () => clock });
    const archived: string[] = [];
    const removed: string[] = [];
    t.on('archive', (f: string) => archived.push(f));
    t.on('logRemoved', (f: string) => removed.push(f));
    const logger = winston.createLogger({ format: plain, transports: [t] });
    for (const [i, word] of ['a', 'b', 'c'].entries()) {
      logger.info(word);
      await t.flush();
      // The archive of the previous file is written asynchronously (DRF does the same).
      await waitFor(() => archived.length === i);
      clock += 1000;
    }
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(archived).toEqual([
      path.join(tmp, 'app.log.2026-11-21_13-05-00.gz'),
      path.join(tmp, 'app.log.2026-11-21_13-05-01.gz'),
    ]);
    expect(removed).toEqual([path.join(tmp, 'app.log.2026-11-21_13-05-00.gz')]);
    expect(fs.existsSync(removed[0]!)).toBe(false);
    expect(allLines(tmp)).toEqual(['b', 'c']);
    const audit = JSON.parse(fs.readFileSync(path.join(tmp, '.app.log-audit.json'), 'utf8')) as {
      keep: unknown;
      files: Array<{ name: string; date: number; hash: string }>;
      hashType: string;
    };
    expect(audit.keep).toEqual({ days: false, amount: 2 });
    expect(audit.hashType).toBe('sha256');
    expect(audit.files.map((f) => path.basename(f.name))).toEqual([
      'app.log.2026-11-21_13-05-01',
      'app.log.2026-11-21_13-05-02',
    ]);
  });

  describe('retention counts the dated files whether or not they are compressed', () => {
    // Two runs on one directory and one audit file, six records a second apart each (injected clock),
    // maxFiles 3: after each run exactly three dated files are left, whatever zippedArchive was before.
    const runOnce = async (zippedArchive: boolean, start: number): Promise<string[]> => {
      let clock = start;
      const t = dated({ when: 'S', maxFiles: 3, zippedArchive, now: () => clock });
      const warnings: string[] = [];
      t.on('warn', (e: Error) => warnings.push(e.message));
      const logger = winston.createLogger({ format: plain, transports: [t] });
      for (let i = 0; i < 6; i++) {
        logger.info(`r${start} ${i}`);
        await t.flush();
        clock += 1000;
      }
      const finished = once(logger, 'finish');
      logger.end();
      await finished;
      return warnings;
    };
    const files = (): string[] =>
      fs
        .readdirSync(tmp)
        .filter((n) => n.startsWith('app.log.'))
        .sort();
    const T1 = Date.UTC(2026, 10, 21, 13, 5, 0, 400);
    const T2 = T1 + 60_000;

    it.each([
      [true, false],
      [false, true],
    ])('zippedArchive %s, then %s: three files left, the old ones deleted', async (first, second) => {
      expect(await runOnce(first, T1)).toEqual([]);
      expect(files()).toHaveLength(3);
      expect(await runOnce(second, T2)).toEqual([]);
      const ext = second ? '.gz' : '';
      expect(files()).toEqual([
        `app.log.2026-11-21_13-06-03${ext}`,
        `app.log.2026-11-21_13-06-04${ext}`,
        'app.log.2026-11-21_13-06-05',
      ]);
      expect(allLines(tmp)).toEqual([`r${T2} 3`, `r${T2} 4`, `r${T2} 5`]);
    });

    it('a file retired while its archive is being written is deleted without a warning', async () => {
      let clock = Date.UTC(2026, 10, 21, 13, 5, 0, 400);
      // maxFiles 2: the third file retires the first while its archive (started at the first rollover,
      // in the same batch) is still being written.
      const t = dated({ when: 'S', maxFiles: 2, zippedArchive: true, now: () => clock });
      const warnings: string[] = [];
      t.on('warn', (e: Error) => warnings.push(e.message));
      const logger = winston.createLogger({ format: plain, transports: [t] });
      for (const word of ['a', 'b', 'c']) {
        logger.info(word);
        clock += 1000;
      }
      const finished = once(logger, 'finish');
      logger.end();
      await finished;
      expect(warnings).toEqual([]);
      expect(files()).toEqual(['app.log.2026-11-21_13-05-01.gz', 'app.log.2026-11-21_13-05-02']);
      expect(allLines(tmp)).toEqual(['b', 'c']);
    });
  });

  it('flush() resolves with the records on disk and the file still open; close() is idempotent', async () => {
    const t = dated();
    const logger = winston.createLogger({ format: plain, transports: [t] });
    for (let i = 0; i < 300; i++) logger.info(`r${i}`);
    await t.flush();
    expect(allLines(tmp)).toHaveLength(300);
    logger.info('after flush');
    await t.flush();
    expect(allLines(tmp).at(-1)).toBe('after flush');
    t.close();
    t.close();
    await t.flush(); // after close: resolves once the file is closed
    expect(allLines(tmp)).toHaveLength(301);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    t.close();
  });

  it('a directory where the dated file should be: reported once on warn, nothing lost once it is gone', async () => {
    const blocker = path.join(tmp, `app.log.${todayUtc()}`);
    fs.mkdirSync(blocker);
    const t = dated({ retryInterval: 30 });
    const warns: Error[] = [];
    t.on('warn', (e: Error) => warns.push(e));
    const other = new MemoryTransport();
    const logger = winston.createLogger({ format: plain, transports: [t, other] });
    for (let i = 0; i < 50; i++) logger.info(`held ${i}`);
    await waitFor(() => warns.length > 0);
    await new Promise((r) => setTimeout(r, 150)); // several failed reopen attempts
    for (let i = 50; i < 100; i++) logger.info(`held ${i}`);
    expect(warns).toHaveLength(1);
    expect(warns[0]!.message).toContain(`TimedRotatingFileTransport(app.log): cannot open ${blocker}`);
    expect(warns[0]!.message).toContain('EISDIR');
    expect(other.lines).toHaveLength(100);
    fs.rmdirSync(blocker);
    await waitFor(() => fs.existsSync(blocker) && allLines(tmp).length === 100);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(allLines(tmp)).toEqual(Array.from({ length: 100 }, (_, i) => `held ${i}`));
  });

  it('disk full (the dated file is a link to /dev/full): one warn, no crash, nothing lost once it clears', async () => {
    const link = path.join(tmp, `app.log.${todayUtc()}`);
    fs.symlinkSync('/dev/full', link);
    const t = dated({ retryInterval: 30 });
    const warns: Error[] = [];
    t.on('warn', (e: Error) => warns.push(e));
    const other = new MemoryTransport();
    const logger = winston.createLogger({ format: plain, transports: [t, other] });
    logger.info('first, written while the disk is full');
    await waitFor(() => warns.length > 0);
    for (let i = 0; i < 20; i++) logger.info(`kept ${i}`);
    await new Promise((r) => setTimeout(r, 150)); // several reopen attempts, each failing to write
    expect(warns).toHaveLength(1);
    expect(warns[0]!.message).toContain(`disk full while writing ${link}`);
    expect(warns[0]!.message).toContain('ENOSPC');
    fs.unlinkSync(link);
    await waitFor(() => fs.existsSync(link) && allLines(tmp).length === 21);
    logger.info('direct');
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(allLines(tmp)).toEqual([
      'first, written while the disk is full',
      ...Array.from({ length: 20 }, (_, i) => `kept ${i}`),
      'direct',
    ]);
    expect(other.lines).toHaveLength(22);
  });
});

describe("layout 'dated' shares winston-daily-rotate-file's audit file", () => {
  // file-stream-rotator (DRF's engine) itself writes and reads the audit file here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsr = require('file-stream-rotator') as {
    setAuditLog(
      max: number,
      auditFile: string,
      logFile: string,
    ): { hashType?: string; files: Array<{ name: string }> };
    addLogToAudit(file: string, audit: object, stream: EventEmitter, verbose: boolean): object;
  };

  it('retires the files DRF recorded, and DRF retires the files it recorded', async () => {
    const auditFile = path.join(tmp, 'audit.json');
    const drfAudit = fsr.setAuditLog(2, auditFile, path.join(tmp, 'app.log.%DATE%'));
    drfAudit.hashType = 'sha256'; // what DRF passes (auditHashType)
    for (const day of ['2026-11-19', '2026-11-20']) {
      const f = path.join(tmp, `app.log.${day}`);
      fs.writeFileSync(f, `${day}\n`);
      fsr.addLogToAudit(f, drfAudit, new EventEmitter(), false);
    }
    const t = dated({ maxFiles: 2, auditFile, now: () => Date.UTC(2026, 10, 21, 12) });
    const removed: string[] = [];
    t.on('logRemoved', (f: string) => removed.push(f));
    const logger = winston.createLogger({ format: plain, transports: [t] });
    logger.info('today');
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(removed).toEqual([path.join(tmp, 'app.log.2026-11-19')]);
    expect(
      fs
        .readdirSync(tmp)
        .filter((n) => n.startsWith('app.log.'))
        .sort(),
    ).toEqual(['app.log.2026-11-20', 'app.log.2026-11-21']);
    // DRF reading our audit file retires our file in turn.
    const back = fsr.setAuditLog(1, auditFile, path.join(tmp, 'app.log.%DATE%'));
    back.hashType = 'sha256';
    expect(back.files.map((f) => path.basename(f.name))).toEqual([
      'app.log.2026-11-20',
      'app.log.2026-11-21',
    ]);
    const next = path.join(tmp, 'app.log.2026-11-22');
    fs.writeFileSync(next, '');
    fsr.addLogToAudit(next, back, new EventEmitter(), false);
    expect(
      fs
        .readdirSync(tmp)
        .filter((n) => n.startsWith('app.log.'))
        .sort(),
    ).toEqual(['app.log.2026-11-22']);
  });
});

import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import winston from 'winston';
import type Transport from 'winston-transport';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { TimedRotatingFileTransport } from '../../../transports/timed-rotating-file';
import { waitFor } from './file-fault-helpers';

// Symlinks planted at every name the file transports create (CWE-59): temporary gzip files, archives,
// backups, lock files, the audit file, the live file re-created after a rollover, the next dated file.
// The victim (a file the application could write) must stay byte for byte and mode for mode unchanged;
// files the bundle creates get fileMode.

const VICTIM_TEXT = 'victim: must never change\n';
const T0 = Date.UTC(2026, 10, 21, 13, 5, 0, 100);

let tmp: string;
let logs: string;
let victim: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-symlink-'));
  logs = path.join(tmp, 'logs');
  fs.mkdirSync(logs);
  victim = path.join(tmp, 'victim.txt');
  fs.writeFileSync(victim, VICTIM_TEXT, { mode: 0o640 });
  fs.chmodSync(victim, 0o640);
  const old = (Date.now() - 60_000) / 1000;
  fs.utimesSync(victim, old, old);
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function plant(name: string): void {
  fs.symlinkSync(victim, path.join(logs, name));
}

function expectVictimUnchanged(): void {
  expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
  expect(fs.statSync(victim).mode & 0o777).toBe(0o640);
}

/** Regular files in `logs` (planted links that were moved around as backups are not the bundle's). */
function regularFiles(): string[] {
  return fs
    .readdirSync(logs)
    .filter((n) => fs.lstatSync(path.join(logs, n)).isFile())
    .sort();
}

function loggerFor(t: Transport): winston.Logger {
  return winston.createLogger({ format: winston.format.printf((i) => String(i.message)), transports: [t] });
}

async function end(logger: winston.Logger): Promise<void> {
  const finished = once(logger, 'finish');
  logger.end();
  await finished;
}

describe('planted symlinks are never followed', () => {
  it('RotatingFileTransport with gzip: links at every .gz.tmp, archive and lock name; archives get fileMode', async () => {
    for (let i = 1; i <= 4; i++) plant(`app.log.${i}.gz.tmp`);
    plant('app.log.1.gz');
    plant('app.log.lock');
    const t = new RotatingFileTransport({
      filename: path.join(logs, 'app.log'),
      maxBytes: 100,
      backupCount: 3,
      gzip: true,
      multiprocess: true,
      fileMode: 0o600,
      faultsToStderr: false,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = loggerFor(t);
    for (let i = 0; i < 40; i++) logger.info(`record ${String(i).padStart(3, '0')} xxxxxxxx`);
    await end(logger);
    expectVictimUnchanged();
    expect(regularFiles()).toEqual(['app.log', 'app.log.1.gz', 'app.log.2.gz', 'app.log.3.gz']);
    for (const n of regularFiles()) expect(fs.statSync(path.join(logs, n)).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringContaining('the lock file was a symbolic link')]);
  });

  it('the live file re-created after a rollover: a link planted in between is refused, reported, then recovered', async () => {
    const filename = path.join(logs, 'app.log');
    const t = new RotatingFileTransport({
      filename,
      maxBytes: 30,
      backupCount: 5,
      faultsToStderr: false,
      retryInterval: 20,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    // The attacker wins the race every time: the link is there when the writer re-creates the file.
    t.once('rotate', () => plant('app.log'));
    const logger = loggerFor(t);
    for (let i = 0; i < 4; i++) logger.info(`record ${i} xxxxxxx`);
    await waitFor(() => warnings.length > 0, 5000, 'a report');
    expect(warnings[0]).toContain('is a symbolic link to a regular file; refusing to follow it');
    expectVictimUnchanged();
    fs.unlinkSync(filename);
    await waitFor(() => t.stats().pending === 0, 5000, 'the queue to drain');
    await end(logger);
    expectVictimUnchanged();
    const all = ['app.log', 'app.log.1', 'app.log.2', 'app.log.3']
      .filter((n) => fs.existsSync(path.join(logs, n)))
      .flatMap((n) => fs.readFileSync(path.join(logs, n), 'utf8').split('\n').slice(0, -1));
    expect(all.sort()).toEqual([0, 1, 2, 3].map((i) => `record ${i} xxxxxxx`));
  });

  it("TimedRotatingFileTransport layout 'python' with gzip: links at the backup's .gz and .gz.tmp", async () => {
    plant('app.log.2026-11-21_13-05-00.gz.tmp');
    plant('app.log.2026-11-21_13-05-00.gz');
    let clock = T0;
    const t = new TimedRotatingFileTransport({
      filename: path.join(logs, 'app.log'),
      when: 'S',
      utc: true,
      gzip: true,
      fileMode: 0o600,
      now: () => clock,
      faultsToStderr: false,
    });
    const logger = loggerFor(t);
    logger.info('first');
    await t.flush();
    clock += 1000;
    logger.info('second');
    await end(logger);
    expectVictimUnchanged();
    expect(regularFiles()).toEqual(['app.log', 'app.log.2026-11-21_13-05-00.gz']);
    for (const n of regularFiles()) expect(fs.statSync(path.join(logs, n)).mode & 0o777).toBe(0o600);
  });

  it("layout 'dated': links at the next dated file, the archive's .gz.tmp, the audit file's .tmp and current.log", async () => {
    plant('app.log.2026-11-21_13-05-01');
    plant('app.log.2026-11-21_13-05-00.gz.tmp');
    plant('.app.log-audit.json.tmp');
    plant('current.log');
    let clock = T0;
    const t = new TimedRotatingFileTransport({
      filename: path.join(logs, 'app.log'),
      layout: 'dated',
      when: 'S',
      utc: true,
      zippedArchive: true,
      maxFiles: 5,
      createSymlink: true,
      fileMode: 0o600,
      now: () => clock,
      retryInterval: 20,
      faultsToStderr: false,
    });
    const warnings: string[] = [];
    t.on('warn', (e: Error) => warnings.push(e.message));
    const logger = loggerFor(t);
    logger.info('first');
    await t.flush();
    clock += 1000;
    logger.info('second');
    await waitFor(() => warnings.length > 0, 5000, 'a report');
    expect(warnings[0]).toContain('app.log.2026-11-21_13-05-01 is a symbolic link to a regular file');
    expectVictimUnchanged();
    fs.unlinkSync(path.join(logs, 'app.log.2026-11-21_13-05-01'));
    await waitFor(() => t.stats().pending === 0, 5000, 'the queue to drain');
    await end(logger);
    expectVictimUnchanged();
    expect(regularFiles()).toEqual([
      '.app.log-audit.json',
      'app.log.2026-11-21_13-05-00.gz',
      'app.log.2026-11-21_13-05-01',
    ]);
    for (const n of regularFiles()) expect(fs.statSync(path.join(logs, n)).mode & 0o777).toBe(0o600);
    expect(fs.readlinkSync(path.join(logs, 'current.log'))).toBe('app.log.2026-11-21_13-05-01');
    expect(fs.readFileSync(path.join(logs, 'app.log.2026-11-21_13-05-01'), 'utf8')).toBe('second\n');
  });
});

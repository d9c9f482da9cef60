import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import winston from 'winston';
import { MESSAGE } from 'triple-beam';
import { ConfigError } from '../../../src/errors';
import {
  TimedRotatingFileTransport,
  type TimedRotatingFileTransportOptions,
} from '../../../transports/timed-rotating-file';

// Each scenario runs twice: through CPython's TimedRotatingFileHandler with time.time() pinned to each
// record's time (test/fixtures/rotation/timed-oracle.py), and through the transport with the same
// injected clock. The directories must end up identical.

// CPython must see the same local zone as this process (the 'midnight local time' scenario).
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const oracle = path.join(__dirname, '../../fixtures/rotation/timed-oracle.py');
const T0 = 1_700_000_000; // Tuesday 2023-11-14 22:13:20 UTC
const HOUR = 3600;
const DAY = 86400;

interface Scenario {
  name: string;
  when: string;
  interval: number;
  backupCount: number;
  utc: boolean;
  atTime?: [number, number, number];
  offsets: number[]; // seconds after T0
}

const scenarios: Scenario[] = [
  {
    name: 'S x1, backupCount 2',
    when: 'S',
    interval: 1,
    backupCount: 2,
    utc: true,
    offsets: [0, 0.4, 1.1, 2.5, 2.7, 5, 6.2, 6.9],
  },
  {
    name: 'S x3, keep all',
    when: 'S',
    interval: 3,
    backupCount: 0,
    utc: true,
    offsets: [0, 1, 2.9, 3, 3.1, 7.5, 20],
  },
  {
    name: 'M x2, backupCount 3',
    when: 'M',
    interval: 2,
    backupCount: 3,
    utc: true,
    offsets: [0, 30, 130, 200, 400, 1000, 1001],
  },
  {
    name: 'H x1, backupCount 2',
    when: 'H',
    interval: 1,
    backupCount: 2,
    utc: true,
    offsets: [0, 0.5, 1.2, 3.7, 3.8, 9].map((h) => h * HOUR),
  },
  {
    name: 'D x1, backupCount 1',
    when: 'D',
    interval: 1,
    backupCount: 1,
    utc: true,
    offsets: [0, 0.9, 1.5, 4].map((d) => d * DAY),
  },
  {
    name: 'midnight UTC, backupCount 2',
    when: 'midnight',
    interval: 1,
    backupCount: 2,
    utc: true,
    offsets: [0, 0.05, 0.9, 1.1, 2.3, 5].map((d) => d * DAY),
  },
  {
    name: 'midnight local time',
    when: 'MIDNIGHT',
    interval: 1,
    backupCount: 0,
    utc: false,
    offsets: [0, 0.1, 1.2, 3].map((d) => d * DAY),
  },
  {
    name: 'midnight at 06:30:00 UTC',
    when: 'midnight',
    interval: 1,
    backupCount: 0,
    utc: true,
    atTime: [6, 30, 0],
    offsets: [0, 0.2, 0.4, 1.4, 3].map((d) => d * DAY),
  },
  {
    name: 'W2 (Wednesday), backupCount 2',
    when: 'W2',
    interval: 1,
    backupCount: 2,
    utc: true,
    offsets: [0, 1, 3, 8, 8.5, 16, 30].map((d) => d * DAY),
  },
  {
    name: 'W6 at 12:00 UTC',
    when: 'w6',
    interval: 1,
    backupCount: 0,
    utc: true,
    atTime: [12, 0, 0],
    offsets: [0, 2, 5, 9, 13].map((d) => d * DAY),
  },
];

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = fs.readFileSync(path.join(dir, name), 'utf8');
  return out;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'timed-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('TimedRotatingFileTransport matches CPython TimedRotatingFileHandler', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const records = s.offsets.map((o, i) => [T0 + o, `record ${i}`] as const);
    const pyDir = path.join(tmp, 'py');
    const jsDir = path.join(tmp, 'js');
    fs.mkdirSync(pyDir);
    fs.mkdirSync(jsDir);
    const input = JSON.stringify({ dir: pyDir, ...s, atTime: s.atTime ?? null, start: T0, records });
    const expected = JSON.parse(
      execFileSync('python3', [oracle], { input, env: { ...process.env, TZ: LOCAL_ZONE } }).toString(),
    ).files;

    let clock = T0 * 1000;
    const options: TimedRotatingFileTransportOptions = {
      filename: path.join(jsDir, 'app.log'),
      when: s.when,
      interval: s.interval,
      backupCount: s.backupCount,
      utc: s.utc,
      now: () => clock,
      faultsToStderr: false,
    };
    if (s.atTime) options.atTime = { hour: s.atTime[0], minute: s.atTime[1], second: s.atTime[2] };
    const t = new TimedRotatingFileTransport(options);
    for (const [at, message] of records) {
      clock = at * 1000;
      t.log({ level: 'info', message, [MESSAGE]: message }, () => undefined);
    }
    t.close();
    expect(listFiles(jsDir)).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThan(1);
  });
});

describe('TimedRotatingFileTransport', () => {
  it("emits 'new', 'rotate', 'archive' and 'logRemoved' (winston-daily-rotate-file's event names)", () => {
    let clock = T0 * 1000;
    const t = new TimedRotatingFileTransport({
      filename: path.join(tmp, 'app.log'),
      when: 'S',
      backupCount: 1,
      gzip: true,
      utc: true,
      now: () => clock,
    });
    const events: string[] = [];
    t.on('new', (f: string) => events.push(`new ${path.basename(f)}`));
    t.on('rotate', (a: string, b: string) => events.push(`rotate ${path.basename(a)} ${path.basename(b)}`));
    t.on('archive', (f: string) => events.push(`archive ${path.basename(f)}`));
    t.on('logRemoved', (f: string) => events.push(`removed ${path.basename(f)}`));
    for (const dt of [0, 1, 2]) {
      clock = (T0 + dt) * 1000;
      t.log({ level: 'info', message: `at ${dt}`, [MESSAGE]: `at ${dt}` }, () => undefined);
    }
    t.close();
    expect(events).toEqual([
      'rotate app.log app.log.2023-11-14_22-13-20.gz',
      'archive app.log.2023-11-14_22-13-20.gz',
      'new app.log',
      'rotate app.log app.log.2023-11-14_22-13-21.gz',
      'archive app.log.2023-11-14_22-13-21.gz',
      'removed app.log.2023-11-14_22-13-20.gz',
      'new app.log',
    ]);
    expect(gunzipSync(fs.readFileSync(path.join(tmp, 'app.log.2023-11-14_22-13-21.gz'))).toString()).toBe(
      'at 1\n',
    );
    expect(fs.readFileSync(path.join(tmp, 'app.log'), 'utf8')).toBe('at 2\n');
  });

  it("rolls over on the transport's clock (when 'S') and 'finish' comes after the data is on disk", async () => {
    // The clock is injected: the rollover does not depend on how long the machine takes (this test slept
    // 1.1 s on the real clock and failed when the 1,000 records straddled another second).
    const filename = path.join(tmp, 'app.log');
    let clock = T0 * 1000 + 250;
    const t = new TimedRotatingFileTransport({
      filename,
      when: 'S',
      interval: 1,
      utc: true,
      now: () => clock,
    });
    const logger = winston.createLogger({
      format: winston.format.printf((i) => String(i.message)),
      transports: [t],
    });
    logger.info('first');
    clock += 1000;
    for (let i = 0; i < 1000; i++) logger.info(`second ${i}`);
    const finished = once(logger, 'finish');
    logger.end();
    await finished;
    expect(fs.readdirSync(tmp).sort()).toEqual(['app.log', 'app.log.2023-11-14_22-13-20']);
    expect(fs.readFileSync(path.join(tmp, 'app.log.2023-11-14_22-13-20'), 'utf8')).toBe('first\n');
    const lines = fs.readFileSync(filename, 'utf8').split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[999]).toBe('second 999');
  });

  it('starts the first interval from the existing file mtime, as CPython does', () => {
    const filename = path.join(tmp, 'app.log');
    fs.writeFileSync(filename, 'old\n');
    fs.utimesSync(filename, T0 - 2 * HOUR, T0 - 2 * HOUR);
    const t = new TimedRotatingFileTransport({ filename, when: 'H', utc: true, now: () => T0 * 1000 });
    t.log({ level: 'info', message: 'new', [MESSAGE]: 'new' }, () => undefined);
    t.close();
    expect(listFiles(tmp)).toEqual({ 'app.log': 'new\n', 'app.log.2023-11-14_20': 'old\n' });
  });

  describe('multiprocess: two transports on one file, each with its own rollover time (injected clock)', () => {
    // Two transports in one process contend for the same lock file exactly as two processes do (the
    // lock is taken per batch and released after it); the real multi-process run is in
    // test/integration/timed-rotating-file-multiprocess.test.ts. T0M is 22:13:00 UTC.
    const T0M = T0 - 20;
    let clock = 0;
    const at = (s: number): void => {
      clock = (T0M + s) * 1000;
    };
    const make = (): TimedRotatingFileTransport =>
      new TimedRotatingFileTransport({
        filename: path.join(tmp, 'app.log'),
        when: 'M',
        utc: true,
        delay: true,
        multiprocess: true,
        now: () => clock,
      });
    const write = (t: TimedRotatingFileTransport, message: string): void => {
      t.log({ level: 'info', message, [MESSAGE]: message }, () => undefined);
      t.flushSync();
    };

    it('a process that finds the file already rotated by another does not rotate it again', () => {
      at(50);
      const a = make(); // rolls at :13:50 + 60 s, backup named 22-13
      at(70);
      const b = make(); // rolls at :14:10 + 60 s, backup named 22-14
      at(75);
      write(b, 'b1');
      at(80);
      write(a, 'a1');
      at(115);
      write(a, 'a2'); // a rotates: 22-13 holds b1, a1
      at(135);
      write(b, 'b2'); // b's rollover is due, but a rotated the file since b last wrote: no second rollover
      a.close();
      b.close();
      expect(listFiles(tmp)).toEqual({ 'app.log': 'a2\nb2\n', 'app.log.2023-11-14_22-13': 'b1\na1\n' });
    });

    it('never replaces a backup another process made for the same interval name', () => {
      at(0);
      const a = make(); // rolls at :14:00, backup named 22-13
      at(30);
      const b = make(); // rolls at :14:30, backup named 22-13 too
      at(10);
      write(a, 'a1');
      at(40);
      write(b, 'b1');
      at(65);
      write(a, 'a2'); // a rotates: 22-13 holds a1, b1
      at(70);
      write(b, 'b2'); // b writes on into the new file
      at(95);
      write(b, 'b3'); // b's rollover is due and its backup name exists: b leaves it (CPython would delete it)
      at(130);
      write(a, 'a3'); // a's next rollover (:15:05): 22-14 holds a2, b2, b3
      a.close();
      b.close();
      expect(listFiles(tmp)).toEqual({
        'app.log': 'a3\n',
        'app.log.2023-11-14_22-13': 'a1\nb1\n',
        'app.log.2023-11-14_22-14': 'a2\nb2\nb3\n',
      });
    });
  });

  it.each([
    [{ when: 'X' }, 'when'],
    [{ when: 'W7' }, 'when'],
    [{ interval: 0 }, 'interval'],
    [{ backupCount: -1 }, 'backupCount'],
    [{ atTime: { hour: 24 } }, 'atTime'],
    [{ encoding: 'ebcdic' }, 'encoding'],
    [{ now: 5 }, 'now'],
    [{ multiprocess: 'yes' }, 'multiprocess'],
    [{ multiprocess: true, layout: 'dated' }, 'multiprocess'],
    [{ lockStaleMs: 0 }, 'lockStaleMs'],
  ])('rejects %j with a ConfigError naming %s', (bad, key) => {
    const make = () =>
      new TimedRotatingFileTransport({ filename: path.join(tmp, 'a.log'), ...(bad as object) });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(`option "${key}"`);
  });
});

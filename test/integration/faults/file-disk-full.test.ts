import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import winston from 'winston';
import type Transport from 'winston-transport';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { TimedRotatingFileTransport } from '../../../transports/timed-rotating-file';
import { audit, linesIn, mountTmpfs, unmountTmpfs, waitFor } from './file-fault-helpers';

// A real full disk: a 1 MiB tmpfs, filled by a filler file, then freed. Every layout must end with every
// record exactly once and no torn line, although its writes were cut short and failed with ENOSPC.

const SIZE = 1024 * 1024;
const FREE = 48 * 1024;
const RECORDS = 4000; // ~300 KB: several times what is free
const pad = 'p'.repeat(60);

let mnt: string;
beforeAll(() => {
  mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-enospc-'));
  mountTmpfs(mnt, String(SIZE));
});
afterAll(() => {
  unmountTmpfs(mnt);
  fs.rmSync(mnt, { recursive: true, force: true });
});

type Made = { transport: Transport & { flush(): Promise<void>; stats(): { pending: number } }; tick(): void };

const T0 = Date.UTC(2026, 10, 21, 13, 5, 0, 100);

const layouts: Array<[string, (dir: string) => Made]> = [
  [
    'RotatingFileTransport (size rotation)',
    (dir) => ({
      transport: new RotatingFileTransport({
        filename: path.join(dir, 'app.log'),
        maxBytes: 32 * 1024,
        backupCount: 1000,
        retryInterval: 20,
        faultsToStderr: false,
      }),
      tick: () => undefined,
    }),
  ],
  [
    'RotatingFileTransport multiprocess',
    (dir) => ({
      transport: new RotatingFileTransport({
        filename: path.join(dir, 'app.log'),
        maxBytes: 32 * 1024,
        backupCount: 1000,
        multiprocess: true,
        retryInterval: 20,
        faultsToStderr: false,
      }),
      tick: () => undefined,
    }),
  ],
  [
    "TimedRotatingFileTransport layout 'python'",
    (dir) => {
      let clock = T0;
      return {
        transport: new TimedRotatingFileTransport({
          filename: path.join(dir, 'app.log'),
          when: 'S',
          utc: true,
          now: () => clock,
          retryInterval: 20,
          faultsToStderr: false,
        }),
        tick: () => (clock += 1000),
      };
    },
  ],
  [
    "TimedRotatingFileTransport layout 'dated'",
    (dir) => {
      let clock = T0;
      return {
        transport: new TimedRotatingFileTransport({
          filename: path.join(dir, 'app.log'),
          layout: 'dated',
          when: 'S',
          utc: true,
          maxFiles: 1000,
          now: () => clock,
          retryInterval: 20,
          faultsToStderr: false,
        }),
        tick: () => (clock += 1000),
      };
    },
  ],
];

describe.each(layouts)('disk full on a real tmpfs, then freed: %s', (_name, make) => {
  let dir: string;
  let filler: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(mnt, 'run-'));
    filler = path.join(mnt, `filler-${path.basename(dir)}`);
  });
  afterEach(() => {
    fs.rmSync(filler, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('0 lost, 0 duplicated, 0 torn, the fault reported once, stats() counts every record written', async () => {
    const made = make(dir);
    const transport = made.transport;
    const warnings: string[] = [];
    transport.on('warn', (e: Error) => warnings.push(e.message));
    const logger = winston.createLogger({
      format: winston.format.printf((i) => String(i.message)),
      transports: [transport],
    });
    // Fill the disk up to FREE bytes (tmpfs counts whole pages).
    const used = Number(fs.statfsSync(mnt).blocks - fs.statfsSync(mnt).bfree) * fs.statfsSync(mnt).bsize;
    fs.writeFileSync(filler, Buffer.alloc(SIZE - used - FREE));
    const expected: string[] = [];
    for (let i = 0; i < RECORDS; i++) {
      if (i % 1000 === 0) made.tick();
      const line = `rec ${i} ${pad}`;
      expected.push(line);
      logger.info(line);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => warnings.some((w) => w.includes('ENOSPC')), 5000, 'an ENOSPC report');
    expect(transport.stats().pending).toBeGreaterThan(0);
    // Partly written batches are cut back to whole records while the disk stays full.
    expect(audit(linesIn(dir, 'app.log'), expected)).toMatchObject({ duplicated: 0, torn: 0 });

    fs.unlinkSync(filler);
    await waitFor(
      () => transport.stats().pending === 0,
      10_000,
      'the queue to drain after the disk was freed',
    );
    const finished = once(logger, 'finish');
    logger.end();
    await finished;

    expect(audit(linesIn(dir, 'app.log'), expected)).toEqual({
      lost: 0,
      duplicated: 0,
      torn: 0,
      total: RECORDS,
    });
    expect(warnings.filter((w) => w.includes('disk full'))).toHaveLength(1);
    expect(transport.stats()).toMatchObject({ received: RECORDS, written: RECORDS, dropped: 0 });
  });
});

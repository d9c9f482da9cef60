import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import winston from 'winston';
import { TimedRotatingFileTransport } from '../../../transports/timed-rotating-file';
import { audit, linesIn, runFixture, waitFor } from './file-fault-helpers';

// Bursts and exits on a healthy disk: nothing accepted may be lost.

const script = path.join(__dirname, '../../fixtures/faults/exit-after.ts');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-burst-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

it("layout 'dated': a 200,000-record startup burst is in the file when 'finish' fires", async () => {
  const t = new TimedRotatingFileTransport({
    filename: path.join(tmp, 'app.log'),
    layout: 'dated',
    when: 'D',
    faultsToStderr: false,
  });
  const logger = winston.createLogger({
    format: winston.format.printf((i) => String(i.message)),
    transports: [t],
  });
  const expected: string[] = [];
  for (let i = 0; i < 200_000; i++) {
    const line = `burst ${i}`;
    expected.push(line);
    logger.info(line);
  }
  const finished = once(logger, 'finish');
  logger.end();
  await finished;
  expect(audit(linesIn(tmp, 'app.log.'), expected)).toEqual({
    lost: 0,
    duplicated: 0,
    torn: 0,
    total: 200_000,
  });
  expect(t.stats()).toEqual({ received: 200_000, written: 200_000, pending: 0, dropped: 0 });
}, 60_000);

it.each(['rotating', 'python', 'dated'])(
  'layout %s: process.exit() right after 20,000 records; flushSync() in process "exit" writes them all',
  async (layout) => {
    const filename = path.join(tmp, 'app.log');
    const r = await runFixture(script, [layout, filename, '20000']).done;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ warnings: [] });
    const expected = Array.from({ length: 20_000 }, (_, i) => `rec ${i}`);
    expect(audit(linesIn(tmp, 'app.log'), expected)).toEqual({
      lost: 0,
      duplicated: 0,
      torn: 0,
      total: 20_000,
    });
  },
  60_000,
);

it('two real processes rotating one file without multiprocess: each reports it once, recommending multiprocess: true', async () => {
  const filename = path.join(tmp, 'app.log');
  let ready = 0;
  const runs = [0, 1].map(() =>
    runFixture(script, ['rotating', filename, '3000', 'shared'], (chunk) => {
      if (chunk.includes('ready')) ready++;
    }),
  );
  await waitFor(() => ready === 2, 30_000, 'both writers to open the file');
  for (const r of runs) r.child.stdin!.write('go\n');
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) {
    expect(r.code).toBe(0);
    const { warnings } = JSON.parse(r.out.split('\n')[1]!) as { warnings: string[] };
    // Their racing rollovers may fail too (that is why multiprocess exists); the advice comes once.
    expect(warnings.filter((w) => w.includes('use multiprocess: true'))).toHaveLength(1);
  }
}, 60_000);

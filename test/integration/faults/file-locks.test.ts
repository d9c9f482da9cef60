import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import winston from 'winston';
import { RotatingFileTransport } from '../../../transports/rotating-file';
import { audit, linesIn, runFixture, waitFor } from './file-fault-helpers';

// Real lock files left in the way of a multiprocess writer: empty, of a dead pid, of a reused pid, and
// held by a real process that is then SIGSTOPped. The writer must never block its event loop (measured
// with monitorEventLoopDelay), report each once, take the lock over within the documented bound, and
// write every record.

const RECORDS = 2000;
const STALE_MS = 400;
const holder = path.join(__dirname, '../../fixtures/faults/hold-lock.ts');

// The delay measured must be the writer's, not the machine's: CI shares its cores, and a process waiting
// for a core shows up in monitorEventLoopDelay as a stall. Where allowed (root), this worker runs at a
// higher priority while it measures; a blocking wait (the old Atomics.wait) still shows as ≥ lockStaleMs.
let priority: number | undefined;
beforeAll(() => {
  try {
    priority = os.getPriority(0);
    os.setPriority(0, -10);
  } catch {
    priority = undefined;
  }
});
afterAll(() => {
  if (priority !== undefined) os.setPriority(0, priority);
});

// The first run in a fresh worker compiles the logging path while it is measured: one unmeasured run
// first, so that the measured runs and their controls are equally warm.
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-lock-warm-'));
  try {
    await uncontendedStall(path.join(dir, 'warm-up'), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-lock-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function make(extra: Partial<ConstructorParameters<typeof RotatingFileTransport>[0]> = {}): {
  logger: winston.Logger;
  file: RotatingFileTransport;
  warnings: string[];
} {
  const file = new RotatingFileTransport({
    filename: extra.filename ?? path.join(tmp, 'app.log'),
    multiprocess: true,
    lockStaleMs: STALE_MS,
    faultsToStderr: false,
    ...extra,
  });
  const warnings: string[] = [];
  file.on('warn', (e: Error) => warnings.push(e.message));
  const logger = winston.createLogger({
    format: winston.format.printf((i) => String(i.message)),
    transports: [file],
  });
  return { logger, file, warnings };
}

/**
 * Logs RECORDS records in slices and waits until they are written (and at least `minMs` have passed),
 * measuring the event loop's worst delay.
 */
async function logAndMeasure(
  logger: winston.Logger,
  file: RotatingFileTransport,
  minMs = 0,
): Promise<{ expected: string[]; maxDelayMs: number; elapsedMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  // The probe is blind until its timer has ticked: a stall before its first sample is never recorded (a
  // blocking wait for the lock in the first batch went unseen). Armed once it has a sample.
  await waitFor(() => h.count > 0, 10_000, 'the event-loop probe armed');
  const started = Date.now();
  const expected: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    expected.push(`rec ${i}`);
    logger.info(`rec ${i}`);
    if (i % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => file.stats().pending === 0, 10_000, 'every record written');
  await waitFor(() => Date.now() - started >= minMs, minMs + 10_000, 'the measured period');
  const elapsedMs = Date.now() - started;
  h.disable();
  return { expected, maxDelayMs: h.max / 1e6, elapsedMs };
}

async function end(logger: winston.Logger): Promise<void> {
  const finished = once(logger, 'finish');
  logger.end();
  await finished;
}

const lockPath = (): string => path.join(tmp, 'app.log.lock');

// How far the stall under contention may exceed its control's. The worst delay of one period is a noisy
// statistic: in 25 pairs measured on the 2-core machine (load average 0.9–2.6, one core kept busy by
// another process for 15 of them) the stall under contention was 0.38–2.55× its control's, the highest
// ratios where both were under 20 ms. 3× covers that spread; the 50 ms floor covers a quiet control, and
// the cap (half of lockStaleMs) keeps the bound far from the blocking signature whatever the control.
const CONTROL_FACTOR = 3;

/**
 * The writer never blocked its event loop. A blocking wait for the lock (the old Atomics.wait) stalls it
 * for the whole of lockStaleMs; a process waiting for a core on a loaded machine stalls too (69 ms was
 * once seen at load average 9 with nothing blocking). So the control: the same work and probe in this
 * process, right after, for as long, with no lock in the way. The stall must stay below half of
 * lockStaleMs (far from the blocking signature) and below max(50 ms, CONTROL_FACTOR × the control's).
 */
async function expectNoStall(measured: { maxDelayMs: number; elapsedMs: number }): Promise<void> {
  const controlMs = await uncontendedStall(path.join(tmp, 'control'), measured.elapsedMs);
  const boundMs = Math.min(STALE_MS / 2, Math.max(50, CONTROL_FACTOR * controlMs));
  // Compared as one object, so that a failure shows the stall, the control and the bound together.
  const seen = {
    stallMs: Math.round(measured.maxDelayMs),
    controlMs: Math.round(controlMs),
    boundMs: Math.round(boundMs),
  };
  expect({ ...seen, belowBound: measured.maxDelayMs < boundMs }).toEqual({ ...seen, belowBound: true });
}

/** The worst event-loop delay of the same work with no lock in the way, in `dir`, for at least `minMs`. */
async function uncontendedStall(dir: string, minMs: number): Promise<number> {
  fs.mkdirSync(dir);
  const { logger, file, warnings } = make({ filename: path.join(dir, 'app.log') });
  const r = await logAndMeasure(logger, file, minMs);
  await end(logger);
  expect(warnings).toEqual([]);
  expect(audit(linesIn(dir, 'app.log'), r.expected)).toMatchObject({ lost: 0, duplicated: 0, torn: 0 });
  return r.maxDelayMs;
}

describe('multiprocess lock faults', () => {
  it('an empty lock file (a crash between create and write) is taken over at once, reported once', async () => {
    fs.writeFileSync(lockPath(), '');
    const old = (Date.now() - 5000) / 1000;
    fs.utimesSync(lockPath(), old, old);
    const { logger, file, warnings } = make();
    const r = await logAndMeasure(logger, file);
    await end(logger);
    await expectNoStall(r);
    expect(audit(linesIn(tmp, 'app.log'), r.expected)).toMatchObject({ lost: 0, duplicated: 0, torn: 0 });
    expect(warnings).toEqual([expect.stringContaining('the lock file was empty')]);
    expect(fs.existsSync(lockPath())).toBe(false);
  });

  it('a lock of a pid that is gone is taken over at once, reported once', async () => {
    // A real process that has exited: its pid is free.
    const gone = spawnSync(process.execPath, ['-e', '']);
    expect(gone.status).toBe(0);
    fs.writeFileSync(lockPath(), `${gone.pid}@${hostname()}@1`);
    const { logger, file, warnings } = make();
    const r = await logAndMeasure(logger, file);
    await end(logger);
    await expectNoStall(r);
    expect(audit(linesIn(tmp, 'app.log'), r.expected)).toMatchObject({ lost: 0, duplicated: 0, torn: 0 });
    expect(warnings).toEqual([expect.stringContaining(`its owner (pid ${gone.pid}) is gone`)]);
  });

  it('a lock whose pid now belongs to another process (another start time) is taken over at once', async () => {
    // pid 1 is alive, but it is not the process that wrote this lock: its start time differs.
    fs.writeFileSync(lockPath(), `1@${hostname()}@999999999999`);
    const { logger, file, warnings } = make();
    const r = await logAndMeasure(logger, file);
    await end(logger);
    await expectNoStall(r);
    expect(audit(linesIn(tmp, 'app.log'), r.expected)).toMatchObject({ lost: 0, duplicated: 0, torn: 0 });
    expect(warnings).toEqual([expect.stringContaining("its owner's pid 1 now belongs to another process")]);
  });

  it('a lock held by a SIGSTOPped process: no event-loop stall, taken over after lockStaleMs, reported once', async () => {
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const child = runFixture(holder, [lockPath()], (chunk) => {
      if (chunk.includes('held')) held();
    });
    try {
      await isHeld;
      child.child.kill('SIGSTOP');
      const { logger, file, warnings } = make();
      const r = await logAndMeasure(logger, file);
      await end(logger);
      await expectNoStall(r);
      // Documented bound: taken over once the lock is older than lockStaleMs (plus the 16 ms backoff).
      expect(r.elapsedMs).toBeGreaterThanOrEqual(STALE_MS - 100);
      expect(r.elapsedMs).toBeLessThan(STALE_MS + 2000);
      expect(audit(linesIn(tmp, 'app.log'), r.expected)).toMatchObject({ lost: 0, duplicated: 0, torn: 0 });
      expect(warnings).toEqual([expect.stringContaining('is stopped or hung')]);
    } finally {
      child.child.kill('SIGKILL');
      await child.done;
    }
  });

  it('while the lock is held the queue is bounded: drops counted in stats() and reported with the count', async () => {
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const child = runFixture(holder, [lockPath()], (chunk) => {
      if (chunk.includes('held')) held();
    });
    try {
      await isHeld;
      child.child.kill('SIGSTOP');
      const { logger, file, warnings } = make({ maxQueuedRecords: 500 });
      const r = await logAndMeasure(logger, file);
      await end(logger);
      await expectNoStall(r);
      const dropped = file.stats().dropped;
      expect(dropped).toBeGreaterThan(0);
      expect(file.stats()).toMatchObject({ received: RECORDS, written: RECORDS - dropped, pending: 0 });
      expect(linesIn(tmp, 'app.log')).toHaveLength(RECORDS - dropped);
      expect(warnings.filter((w) => w.includes('dropping new records'))).toHaveLength(1);
      expect(warnings.filter((w) => w.includes(`${dropped} record(s) were dropped`))).toHaveLength(1);
    } finally {
      child.child.kill('SIGKILL');
      await child.done;
    }
  });
});

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort, startFerretDB } from '../../helpers/ferretdb';
import type { FerretDBInstance } from '../../helpers/ferretdb';

// Real faults around a real script (a child process that logs ERROR records to MongoDB for a while and
// then simply ends, as a cron job does): the server down for the whole run, SIGKILLed or SIGSTOPped
// in the middle of it and back before the script ends, or stopped and never back. The documented bound:
// a script ends within writeTimeoutMs + closeTimeoutMs + 1 s (11 s with the defaults) after its last
// work, and reports on stderr how many records were not stored.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'test', 'fixtures', 'faults', 'mongo-script.ts');
const BOUND_MS = 11_000;
// Timers of a child on a loaded 2-core machine fire late; this is slack for the scheduler, not for the
// transport.
const SCHEDULER_SLACK_MS = 1500;

interface ScriptResult {
  status: number | null;
  stderr: string;
  stats: {
    received: number;
    stored: number;
    pending: number;
    dropped: number;
    abandoned: number;
    lastWork: number;
    exitAt: number;
  };
  /** Milliseconds from the child's start to its first stderr line about a fault, if any. */
  firstFaultAfterMs: number | undefined;
}

interface RunOptions {
  uri: string;
  durationMs: number;
  via?: 'plain' | 'configure' | 'hooks';
  /** Called when the child says it started; runs the fault. */
  during?: () => Promise<void>;
}

function runScript(o: RunOptions): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SCRIPT, o.uri, String(o.durationMs), o.via ?? 'plain'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let startedAt = 0;
    let firstFaultAfterMs: number | undefined;
    let fault: Promise<void> = Promise.resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (startedAt === 0 && stdout.includes('started\n')) {
        startedAt = Date.now();
        if (o.during !== undefined) fault = o.during();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (firstFaultAfterMs === undefined && startedAt !== 0) firstFaultAfterMs = Date.now() - startedAt;
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(killer);
      fault.then(
        () => {
          const line = stdout.split('\n').find((l) => l.startsWith('{'));
          if (line === undefined) return reject(new Error(`no stats from the script; stderr: ${stderr}`));
          resolve({ status, stderr, stats: JSON.parse(line) as ScriptResult['stats'], firstFaultAfterMs });
        },
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function countStored(uri: string): Promise<number> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await client.db('faults').collection('script').countDocuments();
  } finally {
    await client.close();
  }
}

describe('a script logging to MongoDB ends by itself, within the documented bound, whatever the server does', () => {
  it('server down for the whole run: ends within the bound, stderr names how many records were lost', async () => {
    const port = await freePort();
    const r = await runScript({ uri: `mongodb://127.0.0.1:${port}/`, durationMs: 500 });
    expect(r.status).toBe(0);
    expect(r.stats.received).toBeGreaterThan(5);
    expect(r.stats.stored).toBe(0);
    expect(r.stats.abandoned).toBe(r.stats.received);
    expect(r.stderr).toContain(`${r.stats.received} record(s) were not delivered before the close deadline`);
    expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
  });

  it('the same through configureLogging (short form, no console): same bound, same report', async () => {
    const port = await freePort();
    const r = await runScript({ uri: `mongodb://127.0.0.1:${port}/`, durationMs: 300, via: 'configure' });
    expect(r.status).toBe(0);
    expect(r.stats.abandoned).toBe(r.stats.received);
    expect(r.stderr).toContain(`${r.stats.received} record(s) were not delivered before the close deadline`);
    expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
  });

  it('the same with installExitHandlers() (its normal-exit shutdown runs too): same bound, same report', async () => {
    const port = await freePort();
    const r = await runScript({ uri: `mongodb://127.0.0.1:${port}/`, durationMs: 300, via: 'hooks' });
    expect(r.status).toBe(0);
    expect(r.stats.abandoned).toBe(r.stats.received);
    expect(r.stderr).toContain(`${r.stats.received} record(s) were not delivered before the close deadline`);
    expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
  });

  describe('with a server of its own (this suite crashes and stops it)', () => {
    let server: FerretDBInstance | undefined;
    let paused: number | undefined;

    afterEach(async () => {
      if (paused !== undefined) process.kill(paused, 'SIGCONT');
      paused = undefined;
      await server?.stop();
      server = undefined;
    });

    it('SIGKILLed mid-run and restarted 2 s later: every record stored exactly once, prompt exit', async () => {
      const port = await freePort();
      server = await startFerretDB({ port });
      const { dataDir } = server;
      const r = await runScript({
        uri: server.uri,
        durationMs: 5000,
        during: async () => {
          await sleep(1500);
          await server?.kill();
          await sleep(2000);
          server = await startFerretDB({ port, dataDir });
        },
      });
      expect(r.status).toBe(0);
      expect(r.stats).toMatchObject({ stored: r.stats.received, abandoned: 0, dropped: 0 });
      expect(await countStored(server.uri)).toBe(r.stats.received);
      expect(r.stderr).toMatch(/cannot store records/);
      expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
    });

    it('SIGSTOPped mid-run for 6 s then resumed: reported within 10 s, every record stored, prompt exit', async () => {
      server = await startFerretDB();
      const pid = pidOf(server);
      const r = await runScript({
        uri: server.uri,
        durationMs: 8000,
        during: async () => {
          await sleep(1000);
          process.kill(pid, 'SIGSTOP');
          paused = pid;
          await sleep(6000);
          process.kill(pid, 'SIGCONT');
          paused = undefined;
        },
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('the server did not answer within 5000 ms');
      // Reported within 10 s of the stop (the stop came 1 s after the start).
      expect(r.firstFaultAfterMs).toBeLessThanOrEqual(1000 + 10_000);
      expect(r.stats).toMatchObject({ stored: r.stats.received, abandoned: 0 });
      expect(await countStored(server.uri)).toBe(r.stats.received);
      expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
    });

    it('SIGSTOPped and never resumed: ends within the bound, stderr names how many records were lost', async () => {
      server = await startFerretDB();
      const pid = pidOf(server);
      const r = await runScript({
        uri: server.uri,
        durationMs: 2000,
        during: async () => {
          await sleep(500);
          process.kill(pid, 'SIGSTOP');
          paused = pid;
        },
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('the server did not answer within 5000 ms');
      const lost = r.stats.received - r.stats.stored;
      expect(lost).toBeGreaterThan(0);
      expect(r.stats.abandoned).toBe(lost);
      expect(r.stderr).toContain(`${lost} record(s) were not delivered before the close deadline`);
      expect(r.stats.exitAt - r.stats.lastWork).toBeLessThanOrEqual(BOUND_MS + SCHEDULER_SLACK_MS);
    });
  });
});

function pidOf(server: FerretDBInstance): number {
  if (server.pid <= 0) throw new Error('the FerretDB helper has no pid for the server');
  return server.pid;
}

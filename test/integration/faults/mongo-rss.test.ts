import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startFerretDB } from '../../helpers/ferretdb';
import type { FerretDBInstance } from '../../helpers/ferretdb';

// A hung server (SIGSTOP) while an app logs 20,000 records of 20 KB (400 MB of documents): the buffer is
// bounded in bytes (8 MiB here), so the process's memory stays bounded and the drops are counted.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(ROOT, 'test', 'fixtures', 'faults', 'mongo-rss.ts');
const BUFFER_BYTES = 8 * 1024 * 1024;
const MiB = 1024 * 1024;

let server: FerretDBInstance | undefined;
let stopped = false;
afterEach(async () => {
  if (stopped && server !== undefined) process.kill(server.pid, 'SIGCONT');
  stopped = false;
  await server?.stop();
  server = undefined;
});

it('byte-bounded buffer under a hung server: RSS grows by far less than the 400 MB logged', async () => {
  server = await startFerretDB();
  const srv = server;
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', APP, srv.uri, String(BUFFER_BYTES)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!stopped && stdout.includes('ready\n')) {
      process.kill(srv.pid, 'SIGSTOP');
      stopped = true;
      child.stdin.write('go\n');
    }
  });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(status).toBe(0);
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no result from the child; stderr: ${stderr}`);
  const r = JSON.parse(line) as {
    rssBefore: number;
    rssAfter: number;
    received: number;
    stored: number;
    pending: number;
    pendingBytes: number;
    dropped: number;
  };
  expect(r.received).toBe(20_001);
  expect(r.pendingBytes).toBeLessThanOrEqual(BUFFER_BYTES);
  // Each document holds the 20 KB text twice (msg and message): 8 MiB is about 200 of them; everything
  // else was dropped and counted.
  expect(r.pendingBytes).toBeGreaterThan(BUFFER_BYTES - 64 * 1024);
  expect(r.pending).toBeGreaterThan(150);
  expect(r.pending).toBeLessThan(420);
  expect(r.dropped).toBe(r.received - r.stored - r.pending);
  // Generous: the buffer (8 MiB of one-byte strings) plus the heap's and the driver's own slack.
  // Without the byte bound the same run holds ~400 MB of messages.
  expect((r.rssAfter - r.rssBefore) / MiB).toBeLessThan(120);
  // The overflow is reported once, and close() names both counts.
  expect(stderr.match(/buffer full/g)).toHaveLength(1);
  expect(stderr).toContain(
    `${r.pending} record(s) were not delivered before the close deadline; abandoned (and ${r.dropped} dropped earlier`,
  );
});

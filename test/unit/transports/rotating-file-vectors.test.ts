import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MESSAGE } from 'triple-beam';
import { RotatingFileTransport, type RotatingFileTransportOptions } from '../../../transports/rotating-file';

// Every row of CPython's rotation vectors, run through the transport with `%(message)s` records.
// Rows listed in rotation-exclusions.json are checked against the expectation stored there (CPython
// patched to the byte rule, or the documented behaviour) — each with its reason.

interface Row {
  id: string;
  maxBytes: number;
  backupCount: number;
  encoding: string;
  mode: 'a' | 'w';
  delay: boolean;
  terminator: string;
  initial_files?: Record<string, string>;
  reopen_before?: number[];
  namer?: { kind: 'suffix'; suffix: string } | { kind: 'index-before-ext' };
  rotator?: { kind: 'prefix-and-remove'; prefix: string } | { kind: 'copy-keep-source' };
  path_kind?: 'fifo' | 'symlink';
  writes: string[];
  expected_files: Record<string, string>;
  expected_sizes: Record<string, number>;
  rollover_at: number[];
  fifo_received?: string;
  special_files?: Record<string, string>;
}

const fixtures = path.join(__dirname, '../../fixtures/python-logging');
const rows: Row[] = fs
  .readFileSync(path.join(fixtures, 'rotation.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
interface Expectation {
  expected_files?: Record<string, string>;
  expected_sizes?: Record<string, number>;
  rollover_at?: number[];
  first_line?: string;
  last_line?: string;
}
const exclusions: Record<string, { reason: string; expected: Expectation }> = JSON.parse(
  fs.readFileSync(path.join(fixtures, 'rotation-exclusions.json'), 'utf8'),
).rows;
const encodings: Record<string, BufferEncoding> = { 'utf-8': 'utf8', 'latin-1': 'latin1' };

function namerOf(row: Row): ((n: string) => string) | undefined {
  const spec = row.namer;
  if (spec === undefined) return undefined;
  if (spec.kind === 'suffix') return (n) => n + spec.suffix;
  return (n) => n.replace(/\.log\.(\d+)$/, '.$1.log');
}

function rotatorOf(row: Row): ((s: string, d: string) => void) | undefined {
  const spec = row.rotator;
  if (spec === undefined) return undefined;
  if (spec.kind === 'prefix-and-remove') {
    return (s, d) => {
      fs.writeFileSync(d, spec.prefix + fs.readFileSync(s, 'utf8'));
      fs.unlinkSync(s);
    };
  }
  return (s, d) => fs.copyFileSync(s, d);
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rot-vec-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('rotation.jsonl (CPython RotatingFileHandler vectors)', () => {
  it('lists only rows that exist in the fixture among its exclusions', () => {
    const ids = new Set(rows.map((r) => r.id));
    for (const id of Object.keys(exclusions)) expect(ids.has(id)).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(33);
  });

  it.each(rows.map((r) => [r.id, r] as const))('%s', async (_id, row) => {
    const enc = encodings[row.encoding] ?? 'utf8';
    for (const [name, text] of Object.entries(row.initial_files ?? {})) {
      fs.writeFileSync(path.join(tmp, name), Buffer.from(text, enc));
    }
    const file = path.join(tmp, 'app.log');
    let reader: ReturnType<typeof spawn> | undefined;
    let received = '';
    if (row.path_kind === 'symlink') {
      fs.writeFileSync(path.join(tmp, 'real.log'), '');
      fs.symlinkSync('real.log', file);
    } else if (row.path_kind === 'fifo') {
      execFileSync('mkfifo', [file]);
      reader = spawn('cat', [file]);
      reader.stdout!.on('data', (d: Buffer) => (received += d.toString('utf8')));
    }
    const options: RotatingFileTransportOptions = {
      filename: file,
      maxBytes: row.maxBytes,
      backupCount: row.backupCount,
      encoding: row.encoding,
      mode: row.mode,
      delay: row.delay,
      terminator: row.terminator,
      faultsToStderr: false,
    };
    const namer = namerOf(row);
    const rotator = rotatorOf(row);
    if (namer) options.namer = namer;
    if (rotator) options.rotator = rotator;

    const rolled: number[] = [];
    let current = -1;
    const make = (): RotatingFileTransport => {
      const t = new RotatingFileTransport(options);
      t.on('rotate', () => rolled.push(current));
      return t;
    };
    let t = make();
    for (const [i, w] of row.writes.entries()) {
      if (row.reopen_before?.includes(i)) {
        t.close();
        t = make();
      }
      current = i;
      const message = row.terminator === '' ? w : w.slice(0, w.length - row.terminator.length);
      t.log({ level: 'info', message, [MESSAGE]: message }, () => undefined);
      await t.flush();
    }
    t.close();
    t.close(); // idempotent

    const ex: Expectation = exclusions[row.id]?.expected ?? {};
    const expectedFiles: Record<string, string> | undefined =
      ex.expected_files ?? (ex.expected_sizes ? undefined : row.expected_files);
    const expectedSizes: Record<string, number> = ex.expected_sizes ?? row.expected_sizes;
    expect(rolled).toEqual(ex.rollover_at ?? row.rollover_at);

    if (reader) {
      await new Promise((resolve) => reader.on('close', resolve));
      expect(received).toBe(row.fifo_received);
      expect(fs.readdirSync(tmp).filter((n) => n !== 'app.log')).toEqual([]);
      return;
    }
    const names = fs.readdirSync(tmp).sort();
    expect(names).toEqual(Object.keys(expectedSizes).sort());
    for (const name of names) {
      expect([name, fs.statSync(path.join(tmp, name)).size]).toEqual([name, expectedSizes[name]]);
      if (expectedFiles) {
        expect([name, fs.readFileSync(path.join(tmp, name)).toString(enc)]).toEqual([
          name,
          expectedFiles[name],
        ]);
      }
    }
    for (const [name, kind] of Object.entries(row.special_files ?? {})) {
      if (kind.startsWith('symlink->'))
        expect(fs.readlinkSync(path.join(tmp, name))).toBe(kind.slice('symlink->'.length));
    }
    if (ex.first_line !== undefined) {
      const lines = fs.readFileSync(file, 'latin1').split('\n');
      expect(lines[0]).toBe(ex.first_line);
      expect(lines[lines.length - 2]).toBe(ex.last_line);
    }
  });
});

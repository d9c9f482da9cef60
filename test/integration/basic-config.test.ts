import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// basicConfig against CPython: every scenario of test/fixtures/fidelity/basic-config/scenarios.json
// runs in its own Node process and directory (real stderr/stdout/files), and is compared with what
// CPython 3.11 did in its own process (vectors.json, written by gen_basic_config_vectors.py).
const dir = path.join(__dirname, '../fixtures/fidelity/basic-config');
const scenarios = JSON.parse(fs.readFileSync(path.join(dir, 'scenarios.json'), 'utf8')) as Array<{
  id: string;
}>;
const vectors = JSON.parse(fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8')) as {
  rows: Array<{ id: string; expected: Record<string, unknown> & { error: { message: string } | null } }>;
};
const runner = path.join(__dirname, '../helpers/basic-config-runner.ts');

interface Run {
  result: Record<string, unknown>;
  stdout: string;
  stderr: string;
}

function run(spec: unknown): Promise<Run> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'basic-config-'));
  const out = path.join(cwd, 'result.json');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), runner, JSON.stringify(spec), out],
      {
        cwd,
        // CPython's root starts at WARNING; the bundle's root starts at DEBUG (INFO in production) unless
        // LOG_LEVEL says otherwise, so the scenarios run with LOG_LEVEL=WARNING.
        env: { ...process.env, LOG_LEVEL: 'WARNING', LOG_LEVELS: '', LOGGING_CONFIG: '', NODE_ENV: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
        resolve({ result, stdout, stderr });
      } catch (err) {
        reject(new Error(`${String(err)}\n${stderr}`));
      } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    });
  });
}

describe('basicConfig: CPython-derived vectors', () => {
  const runs = new Map<string, Promise<Run>>();
  beforeAll(() => {
    // Two at a time: the machine is shared.
    const chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
    scenarios.forEach((s, i) => {
      const slot = i % 2;
      const p = (chain[slot] as Promise<unknown>).then(() => run(s));
      chain[slot] = p.catch(() => undefined);
      runs.set(s.id, p);
    });
  });

  it('has a vector for every scenario', () => {
    expect(vectors.rows.map((r) => r.id)).toEqual(scenarios.map((s) => s.id));
  });

  it.each(vectors.rows.map((r) => [r.id, r.expected] as const))('%s', async (id, expected) => {
    const { result, stdout, stderr } = await (runs.get(id) as Promise<Run>);
    if (expected.error !== null) {
      // CPython's message, as a ConfigError. CPython may have added handlers before raising; here a
      // bad call changes nothing (README, differences), so only the error is compared.
      expect(result.error).toEqual({ type: 'ConfigError', message: expected.error.message });
      expect(result.root_level).toBe(30);
      return;
    }
    expect({ ...result, stdout, stderr }).toEqual(expected);
  });
});

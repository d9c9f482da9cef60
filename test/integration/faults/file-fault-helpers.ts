import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Mounts a tmpfs of `size` (e.g. '512k') on `dir`. Throws with the reason when mounting is refused: the
 * disk-full tests must fail loudly rather than pass without a full disk.
 */
export function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new Error(
      `cannot mount a ${size} tmpfs on ${dir} for the disk-full fault tests (they need root or CAP_SYS_ADMIN): ${detail}`,
      { cause: err },
    );
  }
}

/** Unmounts what {@link mountTmpfs} mounted (lazily, so a file still open cannot keep it). */
export function unmountTmpfs(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // Not mounted (the mount failed and the test reported why).
  }
}

/** Every line of every file in `dir` whose name starts with `prefix` (gzip archives unpacked). */
export function linesIn(dir: string, prefix: string): string[] {
  const lines: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.startsWith(prefix) || name.endsWith('.lock') || name.endsWith('.tmp')) continue;
    const raw = fs.readFileSync(path.join(dir, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    if (text === '') continue;
    if (!text.endsWith('\n')) lines.push(`${text.slice(text.lastIndexOf('\n') + 1)}<no newline at end>`);
    for (const line of text.split('\n').slice(0, -1)) lines.push(line);
  }
  return lines;
}

/** Counts of a run: which of `expected` are missing, which appear twice, which lines are not whole records. */
export function audit(
  lines: string[],
  expected: string[],
): { lost: number; duplicated: number; torn: number; total: number } {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  let torn = 0;
  for (const l of lines) {
    if (!want.has(l)) torn++;
    else seen.set(l, (seen.get(l) ?? 0) + 1);
  }
  let lost = 0;
  let duplicated = 0;
  for (const e of expected) {
    const n = seen.get(e) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated += n - 1;
  }
  return { lost, duplicated, torn, total: lines.length };
}

/** Polls `ok` every 10 ms (these tests wait on real faults, not on a clock that can be injected). */
export async function waitFor(ok: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A child running a fixture with tsx; resolves with its exit code and output. */
export function runFixture(
  script: string,
  args: string[],
  onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void,
): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: path.join(__dirname, '../../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    onStdout?.(d.toString(), child);
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return { child, done };
}

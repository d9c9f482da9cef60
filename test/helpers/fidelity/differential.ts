import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One case both sides disagree on. */
export interface Difference {
  readonly id: string;
  readonly input: unknown;
  readonly python: unknown;
  readonly pkg: unknown;
}

/** A deliberate or pending difference: cases it matches are not reported. */
export interface Exclusion {
  readonly area: string;
  /** 'deliberate' (documented in the README's differences table) or 'pending core' (fixed by the lead). */
  readonly status: 'deliberate' | 'pending core';
  readonly reason: string;
  /** A regular expression matched against the case's JSON (inputs only): matching cases are skipped. */
  readonly match?: string;
  /** Or: how the oracle applies the package's rule to CPython (nothing is skipped). */
  readonly oracle?: string;
}

const FIXTURE = join(__dirname, '../../fixtures/fidelity/exclusions.json');

/** The exclusions of one area (test/fixtures/fidelity/exclusions.json). */
export function exclusionsOf(area: string): Exclusion[] {
  const all = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { exclusions: Exclusion[] };
  return all.exclusions.filter((e) => e.area === area);
}

function lines(out: string, what: string, expected: number): unknown[] {
  const rows = out.split('\n').filter((l) => l.trim() !== '');
  if (rows.length !== expected) throw new Error(`${what} answered ${rows.length} of ${expected} cases`);
  return rows.map((l) => JSON.parse(l) as unknown);
}

/** Runs a batch of cases through CPython: one python3 process reading JSON lines. */
export function runPython(kind: string, cases: readonly unknown[]): unknown[] {
  const r = spawnSync('python3', [join(__dirname, 'oracle.py'), kind], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8:surrogateescape', PYTHONHASHSEED: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return lines(r.stdout, 'python3', cases.length);
}

/** Runs a batch of cases through the package in a child Node process (its own TZ, no Jest sandbox). */
export function runPackage(
  runner: string,
  cases: readonly unknown[],
  env: NodeJS.ProcessEnv = {},
): unknown[] {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, runner)], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${runner} failed: ${r.stderr}`);
  return lines(r.stdout, runner, cases.length);
}

/** Compares both sides case by case; a case matched by an exclusion is counted, not reported. */
export function compare(
  cases: readonly { id: string }[],
  python: readonly unknown[],
  pkg: readonly unknown[],
  exclusions: readonly Exclusion[],
): { differences: Difference[]; excluded: number } {
  const differences: Difference[] = [];
  let excluded = 0;
  const patterns = exclusions.flatMap((e) => (e.match === undefined ? [] : [new RegExp(e.match, 'u')]));
  cases.forEach((c, i) => {
    const a = JSON.stringify(python[i]);
    const b = JSON.stringify(pkg[i]);
    if (a === b) return;
    const json = JSON.stringify(c);
    if (patterns.some((p) => p.test(json))) {
      excluded++;
      return;
    }
    differences.push({ id: c.id, input: c, python: python[i], pkg: pkg[i] });
  });
  return { differences, excluded };
}

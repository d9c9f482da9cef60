import { compare, exclusionsOf, runPackage, runPython } from './differential';
import type { Difference } from './differential';
import { formatCase } from './format-cases';
import { Prng } from './prng';
import { rotationCase } from './rotation-cases';
import { treeCase } from './logger-cases';

/** What one fuzz run found. */
export interface FuzzResult {
  readonly area: string;
  readonly seed: number;
  readonly cases: number;
  readonly excluded: number;
  readonly differences: readonly Difference[];
}

/** Runs `count` random formatter cases from `seed` through python3 and through the package. */
export function fuzzFormats(seed: number, count: number): FuzzResult {
  const rng = new Prng(seed);
  const cases = Array.from({ length: count }, (_, i) => formatCase(rng, `format-${seed}-${i}`));
  const python = runPython('format', cases);
  const pkg = runPackage('format-runner.ts', cases);
  const { differences, excluded } = compare(cases, python, pkg, exclusionsOf('format'));
  return { area: 'format', seed, cases: count, excluded, differences };
}

/** Runs `count` random rotation sequences from `seed` through python3 and RotatingFileTransport. */
export function fuzzRotation(seed: number, count: number): FuzzResult {
  const rng = new Prng(seed);
  const cases = Array.from({ length: count }, (_, i) => rotationCase(rng, `rotation-${seed}-${i}`));
  const python = runPython('rotation', cases);
  const pkg = runPackage('rotation-runner.ts', cases);
  const { differences, excluded } = compare(cases, python, pkg, exclusionsOf('rotation'));
  return { area: 'rotation', seed, cases: count, excluded, differences };
}

/**
 * Runs `count` random logger-tree programs from `seed` through python3 and the bundle's tree (in
 * compatibility mode, root at WARNING as in CPython).
 */
export function fuzzTree(seed: number, count: number): FuzzResult {
  const rng = new Prng(seed);
  const cases = Array.from({ length: count }, (_, i) => treeCase(rng, `tree-${seed}-${i}`));
  const python = runPython('tree', cases);
  const pkg = runPackage('tree-runner.ts', cases, { LOG_LEVEL: 'WARNING', LOG_LEVELS: '', NODE_ENV: '' });
  const { differences, excluded } = compare(cases, python, pkg, exclusionsOf('tree'));
  return { area: 'tree', seed, cases: count, excluded, differences };
}

/** A difference as a short readable report (input, CPython's answer, the package's). */
export function describeDifference(d: Difference): string {
  return `${d.id}\n  case:   ${JSON.stringify(d.input)}\n  python: ${JSON.stringify(d.python)}\n  pkg:    ${JSON.stringify(d.pkg)}`;
}

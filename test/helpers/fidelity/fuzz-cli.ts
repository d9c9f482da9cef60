/**
 * The long differential fuzz run (`npm run fuzz`): random cases per area through python3 (CPython 3.11)
 * and through the package, compared exactly. Usage: npm run fuzz -- [--seed N] [--cases N] [--area a,b]
 * Prints the cases run, excluded (deliberate / pending core, see test/fixtures/fidelity/exclusions.json)
 * and every difference; exits 1 when there is one.
 */
import { describeDifference, fuzzFormats, fuzzRotation, fuzzTree } from './fuzz';
import type { FuzzResult } from './fuzz';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const seed = Number(arg('seed', '20261202'));
const cases = Number(arg('cases', '10000'));
const areas = arg('area', 'format,rotation,tree').split(',');
const runners: Record<string, (seed: number, count: number) => FuzzResult> = {
  format: fuzzFormats,
  rotation: fuzzRotation,
  tree: fuzzTree,
};
// Batches keep each python3 and node child's input and memory small.
const BATCH = 2500;
let failed = false;
for (const area of areas) {
  const run = runners[area];
  if (run === undefined) throw new Error(`unknown area ${area}; use ${Object.keys(runners).join(', ')}`);
  const started = Date.now();
  let excluded = 0;
  let differences = 0;
  for (let done = 0, batch = 0; done < cases; done += BATCH, batch++) {
    const r = run(seed + batch, Math.min(BATCH, cases - done));
    excluded += r.excluded;
    differences += r.differences.length;
    for (const d of r.differences) console.log(describeDifference(d));
  }
  failed ||= differences > 0;
  console.log(
    `${area}: seed ${seed} (batches seed..seed+${Math.ceil(cases / BATCH) - 1}), ${cases} cases, ` +
      `${excluded} excluded, ${differences} differences, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
process.exitCode = failed ? 1 : 0;

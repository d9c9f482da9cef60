/* Runs every benchmark in bench/ in turn (npm run bench). Each prints its own table with the peers
 * side by side; the numbers recorded in bench/README.md come from these runs. */
import * as fs from 'node:fs';
import * as path from 'node:path';

async function runAll(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const failed: string[] = [];
  for (const file of files) {
    console.log(`\n## ${file}\n`);
    // One benchmark that fails (a contender lost records, a server did not start) is reported and the
    // others still run: a run is read as a whole, side by side.
    try {
      const mod = (await import(path.join(__dirname, file))) as { main?: () => Promise<void> };
      if (typeof mod.main !== 'function') throw new Error(`${file} does not export main()`);
      await mod.main();
    } catch (err) {
      console.error(err);
      failed.push(file);
    }
  }
  if (failed.length > 0) throw new Error(`failed: ${failed.join(', ')}`);
}

runAll().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

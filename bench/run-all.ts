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
  for (const file of files) {
    console.log(`\n## ${file}\n`);
    const mod = (await import(path.join(__dirname, file))) as { main?: () => Promise<void> };
    if (typeof mod.main !== 'function') throw new Error(`${file} does not export main()`);
    await mod.main();
  }
}

runAll().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/* The package's build: `npm run build` (CI runs it through `npm run check:package`), and the tests and the
 * import benchmark that need the built package. Usage: `tsx scripts/build.ts [outDir]` (default `dist`).
 *
 * - `<outDir>/index.js`: the runtime, ONE CommonJS file bundled by esbuild from src/index.ts. Loading ~40
 *   compiled files cost the package most of its import time (one resolution, file read and compile per
 *   file; issue 10's budget is 15 ms on top of winston, see bench/README.md). Every module the entry
 *   reaches is picked up by following its imports, so new source files need no change here. Modules the
 *   code loads with `require()` on first use (the optional transports) stay in the file but are evaluated
 *   only when first required. Dependencies and peers (winston, logform, mongodb, …) and Node's builtins
 *   stay external: the app's copies are used. Not minified: stack traces and error messages keep the
 *   source's names; comments are dropped (esbuild keeps none but legal ones).
 * - `<outDir>/types/`: the declarations, from tsc (the entry's are `types/src/index.d.ts`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..');

/** Builds the runtime bundle and the declarations into `outDir` (emptied first). */
export function build(outDir: string): void {
  fs.rmSync(outDir, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  buildSync({
    entryPoints: [path.join(ROOT, 'src', 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    // `require('winston/lib/…')` and the like are the dependency's files too.
    external: [...external, ...external.map((name) => `${name}/*`)],
    legalComments: 'none',
    logLevel: 'warning',
  });
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '-p',
      path.join(ROOT, 'tsconfig.build.json'),
      '--emitDeclarationOnly',
      '--outDir',
      path.join(outDir, 'types'),
    ],
    { stdio: 'inherit' },
  );
}

if (require.main === module) build(path.resolve(process.argv[2] ?? path.join(ROOT, 'dist')));

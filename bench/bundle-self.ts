import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Bundles a benchmark file with esbuild into `bench/.out/<name>.js` and returns its path. The benchmarks
 * measure in plain node on such a bundle, as the package itself ships as one bundle: under tsx every
 * record would also pay the loader's `__name` wrappers and a getter per imported name, which no user
 * pays. Dependencies stay external (resolved from the project's node_modules).
 */
export async function bundleSelf(entry: string, name: string): Promise<string> {
  const outDir = path.join(__dirname, '.out');
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}.js`);
  const esbuild = await import('esbuild');
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
    // Strict, as the package's own bundle (scripts/build.ts) and its module sources are.
    banner: { js: '"use strict";' },
  });
  return outfile;
}

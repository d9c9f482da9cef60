/* The package's build: `npm run build` (CI runs it through `npm run check:package`), and the tests and the
 * import benchmark that need the built package. Usage: `tsx scripts/build.ts [outDir]` (default `dist`).
 *
 * - `<outDir>/index.js`: the runtime, one CommonJS file bundled by esbuild from src/index.ts. Loading ~40
 *   compiled files cost the package most of its import time (a resolution, a file read and a compile per
 *   file; issue 10's budget is 15 ms on top of winston, see bench/README.md). Every module the entry
 *   imports is found by following the imports, so a new source file needs no change here.
 * - `<outDir>/chunks/<name>.js`: each module the code loads with a literal `require('./…')` on first use
 *   (the optional transports), bundled on its own so that an app that never uses it neither reads nor
 *   compiles it. A chunk takes every module it shares with index.js from index.js itself (exposed under a
 *   registered symbol), so that there is one copy of each module's state: one transport registry, one
 *   `ConfigError` class for `instanceof`.
 * - `<outDir>/types/`: the declarations, from tsc (the entry's are `types/src/index.d.ts`).
 *
 * Dependencies and peers (winston, logform, mongodb, …) and Node's builtins stay external: the app's copies
 * are used. Nothing is minified: stack traces and error messages keep the source's names (esbuild only
 * renames a top-level name that two modules share, e.g. `fail2`); comments are dropped.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

const ROOT = path.join(__dirname, '..');

/** The key of index.js's table of the modules its chunks import, by path relative to the root. */
export const CHUNK_IMPORTS_KEY = 'winston-pylogging.chunk-imports';

/** The `.ts` file a relative specifier names, or undefined when it is not one of the package's sources. */
function sourceOf(specifier: string, resolveDir: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(resolveDir, specifier);
  if (path.relative(ROOT, base).split(path.sep).includes('node_modules')) return undefined;
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

const chunkName = (source: string): string => path.basename(source, '.ts');

/** Turns `require('./x')` of a package source into `require('<prefix>x.js')`, recording the chunk. */
function lazyRequires(prefix: string, chunks: Set<string>): Plugin {
  return {
    name: 'lazy-requires',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'require-call') return undefined;
        const source = sourceOf(args.path, args.resolveDir);
        if (source === undefined) return undefined;
        chunks.add(source);
        return { path: `${prefix}${chunkName(source)}.js`, external: true };
      });
    },
  };
}

/** In a chunk: imports of modules that index.js holds are read from index.js's table. */
function fromIndex(inIndex: ReadonlySet<string>, used: Set<string>): Plugin {
  return {
    name: 'from-index',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'import-statement') return undefined;
        const source = sourceOf(args.path, args.resolveDir);
        if (source === undefined || !inIndex.has(source)) return undefined;
        used.add(source);
        return { path: source, namespace: 'index-module' };
      });
      build.onLoad({ filter: /.*/, namespace: 'index-module' }, (args) => ({
        contents: `module.exports = require('../index.js')[Symbol.for(${JSON.stringify(CHUNK_IMPORTS_KEY)})][${JSON.stringify(path.relative(ROOT, args.path))}];`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^\.\.\/index\.js$/, namespace: 'index-module' }, () => ({
        path: '../index.js',
        external: true,
      }));
    },
  };
}

// `import * as fs from 'node:fs'` and `import winston from 'winston'` of a CommonJS module make esbuild
// copy the module's every property into a new object of getters (`__toESM`), once per importing file:
// 0.5–1 ms at import for five copies of `fs`, and a getter call on every `fs.writeSync` after. For an
// external CommonJS module both forms mean the module object itself (esModuleInterop), which is what
// TypeScript's `import x = require('…')` gives, without the copy.
const EXTERNAL_OBJECT_IMPORT = /^import (?:\* as )?(\w+) from '([^.'][^']*)';$/gm;

/** Reads the package's own sources, with object imports of external modules as plain requires. */
const plainRequires: Plugin = {
  name: 'plain-requires',
  setup(build) {
    build.onLoad({ filter: /\.ts$/, namespace: 'file' }, (args) => {
      if (path.relative(ROOT, args.path).split(path.sep).includes('node_modules')) return undefined;
      const text = fs.readFileSync(args.path, 'utf8');
      return { contents: text.replace(EXTERNAL_OBJECT_IMPORT, "import $1 = require('$2');"), loader: 'ts' };
    });
  },
};

function inputsOf(meta: Metafile | undefined): Set<string> {
  if (meta === undefined) throw new Error('esbuild returned no metafile');
  // Keys are paths relative to ROOT (absWorkingDir), or `<namespace>:<path>` for a plugin's modules.
  const files = Object.keys(meta.inputs).filter((f) => !/^[\w-]+:/.test(f));
  return new Set(files.map((f) => path.resolve(ROOT, f)));
}

/** Builds the runtime bundle, its chunks and the declarations into `outDir` (emptied first). */
export async function build(outDir: string): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
  const common: BuildOptions = {
    // Paths in the output's comments and the metafile are relative to the root, wherever the build runs from.
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    // `require('winston-transport/legacy')` and the like are the dependency's files too.
    external: [...packages, ...packages.map((name) => `${name}/*`)],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // The sources are modules, which are strict; esbuild's CommonJS output is not unless told. Sloppy
    // mode would make `this` of a detached level method (`const { debug } = log`) the global object
    // (a slow miss on `globalThis._py`), and alias `arguments` to the parameters.
    banner: { js: '"use strict";' },
  };
  const entry = path.join(ROOT, 'src', 'index.ts');

  // 1. What index.js holds, and which modules are chunks (required lazily, from index.js or a chunk).
  const chunks = new Set<string>();
  const first = await esbuild.build({
    ...common,
    entryPoints: [entry],
    write: false,
    outfile: path.join(outDir, 'index.js'),
    plugins: [plainRequires, lazyRequires('./chunks/', chunks)],
  });
  const inIndex = inputsOf(first.metafile);

  // 2. The chunks, each importing what index.js holds from it (a chunk's own lazy requires are chunks).
  const used = new Set<string>();
  const built = new Set<string>();
  // Which chunk holds each module that index.js does not: a module in two chunks would have two copies.
  const owner = new Map<string, string>();
  for (let source = [...chunks][0]; source !== undefined; source = [...chunks].find((c) => !built.has(c))) {
    built.add(source);
    const result = await esbuild.build({
      ...common,
      entryPoints: [source],
      outfile: path.join(outDir, 'chunks', `${chunkName(source)}.js`),
      plugins: [plainRequires, fromIndex(inIndex, used), lazyRequires('./', chunks)],
    });
    for (const input of inputsOf(result.metafile)) {
      if (!input.endsWith('.ts') || inIndex.has(input)) continue;
      const other = owner.get(input);
      if (other !== undefined)
        throw new Error(
          `${path.relative(ROOT, input)} would be copied into two chunks (${chunkName(other)}, ${chunkName(source)}): ` +
            'import it from a module that index.js holds, or load it with require() so that it is a chunk of its own',
        );
      owner.set(input, source);
    }
  }
  const names = [...chunks].map(chunkName);
  if (new Set(names).size !== names.length)
    throw new Error(`two lazily required modules share a name: ${names.join(', ')}`);

  // 3. index.js, exposing the modules the chunks import under the registered symbol.
  const shared = [...used].sort();
  const contents = [
    `export * from ${JSON.stringify(entry)};`,
    ...shared.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`),
    `Object.defineProperty(module.exports, Symbol.for(${JSON.stringify(CHUNK_IMPORTS_KEY)}), {`,
    `  value: { ${shared.map((f, i) => `${JSON.stringify(path.relative(ROOT, f))}: m${i}`).join(', ')} },`,
    '});',
  ].join('\n');
  await esbuild.build({
    ...common,
    stdin: { contents, resolveDir: ROOT, sourcefile: 'index.ts', loader: 'ts' },
    outfile: path.join(outDir, 'index.js'),
    plugins: [plainRequires, lazyRequires('./chunks/', new Set())],
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

if (require.main === module) {
  build(path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'))).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}

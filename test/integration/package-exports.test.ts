import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The built package must work from CommonJS `require` and from ESM `import { … }` by name. This runs the
// real build output (building it first when missing or older than the sources) in fresh Node processes
// that resolve the package by its name through node_modules, as an app would.
const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'index.js');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const sources = Math.max(
    ...['src', 'formats', 'transports', 'scripts'].map((d) => newestSource(path.join(ROOT, d))),
  );
  if (fs.existsSync(ENTRY) && fs.statSync(ENTRY).mtimeMs >= sources) return;
  // `npm run build`'s own script: the bundle and the declarations.
  execFileSync(process.execPath, [TSX, path.join('scripts', 'build.ts')], { cwd: ROOT, stdio: 'pipe' });
}

const EXPECTED = [
  'ConfigError',
  'LEVELS',
  'ModuleLogger',
  'addLevelName',
  'createModuleLogger',
  'getLogger',
  'installExitHandlers',
  'moduleFilter',
  'pythonFormat',
  'shutdown',
];

describe('the built package', () => {
  let app: string;

  beforeAll(() => {
    ensureBuilt();
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-pkg-'));
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(app, 'node_modules', 'winston-pylogging'), 'dir');
  }, 120_000);

  afterAll(() => fs.rmSync(app, { recursive: true, force: true }));

  it('works from CommonJS require() with named exports', () => {
    const script = `
      const m = require('winston-pylogging');
      const missing = ${JSON.stringify(EXPECTED)}.filter((k) => m[k] === undefined);
      if (missing.length) throw new Error('missing: ' + missing);
      const MESSAGE = Symbol.for('message');
      const f = m.pythonFormat({ format: '%(levelname)s:%(name)s:%(message)s' });
      const out = f.transform({ level: 'warning', message: 'disk %d%% full', [Symbol.for('splat')]: [91], logger: 'app' });
      process.stdout.write(out[MESSAGE]);
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
    expect(out).toBe('WARNING:app:disk 91% full');
  });

  it('is strict code, as its module sources are: a detached level method runs on its own logger', () => {
    // esbuild's CommonJS output is sloppy unless told; there `this` of a detached call is the global object.
    for (const file of [
      ENTRY,
      ...fs.readdirSync(path.join(ROOT, 'dist', 'chunks')).map((f) => path.join(ROOT, 'dist', 'chunks', f)),
    ]) {
      expect([path.basename(file), fs.readFileSync(file, 'utf8').startsWith('"use strict";')]).toEqual([
        path.basename(file),
        true,
      ]);
    }
    const script = `
      const { createModuleLogger, getRootLogger } = require('winston-pylogging');
      const lines = [];
      const Transport = require(${JSON.stringify(require.resolve('winston-transport'))});
      getRootLogger().setLevel('INFO').add(new (class extends Transport { log(i, next) { lines.push(i.message); next(); } })());
      const { info, debug } = createModuleLogger('detached');
      const self = info('taken apart');
      debug('not shown');
      process.stdout.write(JSON.stringify([lines, self.name]));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([['taken apart'], 'detached']);
  });

  it('works from ESM import { … } by name', () => {
    const script = `
      import { ${EXPECTED.join(', ')} } from 'winston-pylogging';
      const log = createModuleLogger('esm.check');
      process.stdout.write([typeof ModuleLogger, log instanceof ModuleLogger, log.name].join(' '));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(out).toBe('function true esm.check');
  });
});

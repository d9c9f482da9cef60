import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A consumer project as a user makes one: the packed tarball (`npm pack` of a fresh build) installed with
// pnpm, whose strict layout lets a package require only what it declares, without mongodb (an optional
// peer). The package must load from CommonJS and from ESM, and a TypeScript consumer must compile with
// skipLibCheck off. pnpm 9 comes from the npm registry through npx; installs prefer the local caches.
const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true' } });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} (exit ${String(r.status)}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const node = (cwd: string, args: string[]): string =>
  execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('a pnpm consumer of the packed package', () => {
  let work: string;
  let app: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-consumer-'));
    // The package as npm would publish it: a fresh build beside package.json, README, LICENSE, CHANGELOG.
    const stage = path.join(work, 'stage');
    fs.mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'])
      fs.copyFileSync(path.join(ROOT, f), path.join(stage, f));
    execFileSync(process.execPath, [TSX, path.join(ROOT, 'scripts', 'build.ts'), path.join(stage, 'dist')]);
    const tarball = sh(
      'npm',
      ['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
      stage,
    ).trim();
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        dependencies: {
          'winston-pylogging': `file:${path.join(work, tarball)}`,
          winston: own.devDependencies.winston,
        },
        devDependencies: { '@types/node': own.devDependencies['@types/node'] },
      }),
    );
    sh(
      'npx',
      [
        '--yes',
        'pnpm@9',
        'install',
        '--prefer-offline',
        '--reporter=silent',
        '--config.node-linker=isolated',
      ],
      app,
    );
  }, 240_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('installs without mongodb, under the strict layout', () => {
    expect(fs.existsSync(path.join(app, 'node_modules', '.pnpm'))).toBe(true);
    expect(() => require.resolve('mongodb', { paths: [app] })).toThrow();
    // logform is only reachable because the package declares it (pnpm hides undeclared packages).
    expect(fs.existsSync(path.join(app, 'node_modules', 'logform'))).toBe(false);
  });

  it('loads from CommonJS without winston-daily-rotate-file and moment, even when the dated layout is used (it writes its own files)', () => {
    fs.writeFileSync(
      path.join(app, 'main.cjs'),
      `
      const fs = require('node:fs');
      const { configureLogging, createModuleLogger, shutdown, TimedRotatingFileTransport } = require('winston-pylogging');
      const loaded = (name) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + name + '/'));
      const atImport = 'at import: ' + loaded('winston-daily-rotate-file') + ' ' + loaded('moment');
      configureLogging({ console: false, format: '%(name)s %(levelname)s %(message)s', file: { filename: 'app.log' } });
      createModuleLogger('database').info('from %s', 'cjs');
      const dated = new TimedRotatingFileTransport({ filename: 'dated.log', layout: 'dated', when: 'D' });
      dated.log({ level: 'info', message: 'x', [Symbol.for('message')]: 'dated line' }, () => {});
      dated.close();
      const drf = loaded('winston-daily-rotate-file');
      shutdown().then(() => console.log(fs.readFileSync('app.log', 'utf8').trim() + ' / ' + atImport + ' / on use: ' + drf));
      `,
    );
    expect(node(app, ['main.cjs']).trim()).toBe(
      'database INFO from cjs / at import: false false / on use: false',
    );
  });

  it("names the app's own frame as the call site, not the bundled package's (one file in node_modules)", () => {
    fs.writeFileSync(
      path.join(app, 'site.cjs'),
      `const fs = require('node:fs');
      const { configureLogging, createModuleLogger, shutdown } = require('winston-pylogging');
      configureLogging({ console: false, format: '%(filename)s:%(lineno)d %(funcName)s %(module)s', file: { filename: 'site.log' } });
      function handler() { createModuleLogger('site').warning('x'); }
      handler();
      shutdown().then(() => console.log(fs.readFileSync('site.log', 'utf8').trim()));
      `,
    );
    expect(node(app, ['site.cjs']).trim()).toBe('site.cjs:4 handler site');
  });

  it("loads the transports shipped as chunks from a config, sharing the main file's classes", () => {
    fs.writeFileSync(
      path.join(app, 'chunks.cjs'),
      `const fs = require('node:fs');
      const { configureLogging, createModuleLogger, shutdown, ConfigError, MongoTransport } = require('winston-pylogging');
      let shared = false;
      try { new MongoTransport({ uri: 'mongodb://127.0.0.1:1/app', batchSize: -1 }); } catch (err) { shared = err instanceof ConfigError; }
      configureLogging({ version: 1, handlers: { t: { class: 'timed_rotating_file', filename: 'timed.log', when: 'D' } },
        root: { handlers: ['t'], level: 'INFO' } });
      createModuleLogger('chunk').info('via config');
      shutdown().then(() => console.log(fs.readFileSync('timed.log', 'utf8').trim() + ' / ' + shared));
      `,
    );
    expect(node(app, ['chunks.cjs']).trim()).toBe('via config / true');
  });

  it('loads from ESM with named imports', () => {
    fs.writeFileSync(
      path.join(app, 'main.mjs'),
      `
      import { compilePythonFormat, MongoTransport, RotatingFileTransport } from 'winston-pylogging';
      const render = compilePythonFormat('%(levelname)s:%(name)s:%(message)s');
      console.log(render({ name: 'esm', levelname: 'INFO', msg: 'hi %s', args: ['there'] }));
      console.log(typeof MongoTransport, typeof RotatingFileTransport);
      `,
    );
    expect(node(app, ['main.mjs']).trim()).toBe('INFO:esm:hi there\nfunction function');
  });

  it('compiles a TypeScript consumer with skipLibCheck off and no mongodb installed', () => {
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        include: ['consumer.ts'],
      }),
    );
    fs.writeFileSync(
      path.join(app, 'consumer.ts'),
      `
      import { configureLogging, createModuleLogger, MongoTransport } from 'winston-pylogging';
      import type { HandlerConfig, MongoTransportOptions } from 'winston-pylogging';
      const file: HandlerConfig = { class: 'rotating_file', filename: 'app.log', maxBytes: 1024, backupCount: 2 };
      configureLogging({ version: 1, handlers: { file }, root: { level: 'INFO', handlers: ['file'] } });
      createModuleLogger('app').log(25, 'a level by number');
      const options: MongoTransportOptions = { uri: 'mongodb://127.0.0.1:27017/app', batchSize: 10 };
      export const mongo = new MongoTransport(options);
      `,
    );
    const r = spawnSync(process.execPath, [TSC, '-p', app], { cwd: app, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});

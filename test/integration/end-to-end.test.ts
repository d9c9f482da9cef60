import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'logform';
import {
  LoggerAdapter,
  RotatingFileTransport,
  addHandlerFilter,
  addLevelName,
  compilePythonFormat,
  configureLogging,
  createModuleLogger,
  getRootLogger,
  moduleFilter,
  pythonFormat,
  requestContext,
  resetLogging,
  runWithLogContext,
  shutdown,
  toLogRecord,
} from '../../src/index';

// One real app through the package root: a dictConfig with a shared rotating file, an errors-only file
// for the database logger (requirement 4), an exclude filter, per-module levels, a custom level, a
// transport added by hand with its own format and handler filter, then shutdown() and the files on disk.
const ASCTIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}';
let dir: string;

beforeEach(() => {
  resetLogging();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-e2e-'));
});
afterEach(() => {
  resetLogging();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): string[] => fs.readFileSync(path.join(dir, file), 'utf8').trimEnd().split('\n');

it('logs a small app end to end into real files and drains on shutdown()', async () => {
  configureLogging({
    version: 1,
    disable_existing_loggers: false,
    useEnv: false,
    formatters: { seed: { format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' } },
    filters: { no_auth: { exclude: 'auth' } },
    handlers: {
      app: {
        class: 'logging.handlers.RotatingFileHandler',
        filename: path.join(dir, 'app.log'),
        maxBytes: 1024 * 1024,
        backupCount: 3,
        formatter: 'seed',
        filters: ['no_auth'],
      },
      db_errors: {
        class: 'rotating_file',
        level: 'ERROR',
        filename: path.join(dir, 'database-errors.log'),
        formatter: 'seed',
      },
    },
    loggers: { database: { level: 'INFO', handlers: ['db_errors'] }, auth: { level: 'WARNING' } },
    root: { level: 'DEBUG', handlers: ['app'] },
  });

  addLevelName(25, 'NOTICE');
  const audit = new RotatingFileTransport({
    filename: path.join(dir, 'audit.log'),
    format: format.combine(
      moduleFilter({ include: 'utils' }),
      pythonFormat({ format: '%(levelname)s|%(name)s|%(user)s|%(message)s' }),
    ),
  });
  addHandlerFilter(audit, (info) => (info as { user?: unknown }).user !== undefined);
  getRootLogger().addHandler(audit);

  const db = createModuleLogger('database');
  const auth = createModuleLogger('auth');
  const utils = createModuleLogger('utils.text');
  db.debug('dropped: database is at INFO');
  db.info('Query executed: %s', 'SELECT * FROM users');
  db.error('Query failed', new Error('connection reset by peer'));
  auth.warning('Invalid password for user %s', 'bob');
  utils.log('notice', 'Processing %d items', 3, { extra: { user: 'kim' } });
  utils.info('no user, not audited');

  const report = await shutdown({ timeoutMs: 5000 });
  expect(report).toEqual({ transports: 3, delivered: true, undelivered: [] });

  const app = lines('app.log');
  expect(app[0]).toMatch(
    new RegExp(`^${ASCTIME} - database - INFO - Query executed: SELECT \\* FROM users$`),
  );
  expect(app[1]).toMatch(new RegExp(`^${ASCTIME} - database - ERROR - Query failed$`));
  expect(app[2]).toBe('Error: connection reset by peer');
  expect(app.some((l) => l.includes(' - auth - '))).toBe(false);
  expect(
    app.filter((l) => / - utils\.text - /.test(l)).map((l) => l.split(' - ').slice(1).join(' - ')),
  ).toEqual(['utils.text - NOTICE - Processing 3 items', 'utils.text - INFO - no user, not audited']);

  const errors = lines('database-errors.log');
  expect(errors[0]).toMatch(new RegExp(`^${ASCTIME} - database - ERROR - Query failed$`));
  expect(errors[1]).toBe('Error: connection reset by peer');
  expect(errors.filter((l) => / - (INFO|WARNING|NOTICE) - /.test(l))).toEqual([]);
  expect(lines('audit.log')).toEqual(['NOTICE|utils.text|kim|Processing 3 items']);

  // compilePythonFormat and toLogRecord agree with what the transports wrote.
  const render = compilePythonFormat('%(name)s:%(levelname)s:%(message)s');
  const info = { level: 'error', message: 'x %s', [Symbol.for('splat')]: ['y'], logger: 'database' };
  expect(render(toLogRecord(info as never))).toBe('database:ERROR:x y');
});

it('a web request end to end: requestContext, its id in a rotating file, a LoggerAdapter, the access line', async () => {
  configureLogging({
    version: 1,
    useEnv: false,
    formatters: {
      req: { format: '%(name)s - %(levelname)s - [%(requestId)s] %(message)s', defaults: { requestId: '-' } },
    },
    handlers: { app: { class: 'rotating_file', filename: path.join(dir, 'web.log'), formatter: 'req' } },
    root: { level: 'INFO', handlers: ['app'] },
  });
  const ticks = [10, 14.5];
  const middleware = requestContext({ accessLog: 'http.access', clock: () => ticks.shift() ?? 0 });
  const log = createModuleLogger('web.login');
  const server = http.createServer((req, res) =>
    middleware(req, res, () => {
      void Promise.resolve().then(() => {
        new LoggerAdapter(log, { user: 'bob' }).warning('bad password for %s', 'bob');
        res.statusCode = 401;
        res.end();
      });
    }),
  );
  // The access line is written on the response's 'finish'; this listener comes after the middleware's.
  const finished = new Promise((resolve) =>
    server.once('request', (_req, res) => res.once('finish', resolve)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http
        .get(
          `http://127.0.0.1:${port}/login`,
          { agent: false, headers: { 'x-request-id': 'e2e-1' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(401);
    await finished;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  runWithLogContext({ requestId: 'job-7' }, () => log.info('a job outside any request'));
  log.info('no context');
  await shutdown({ timeoutMs: 5000 });
  expect(lines('web.log')).toEqual([
    'web.login - WARNING - [e2e-1] bad password for bob',
    'http.access - INFO - [e2e-1] GET /login 401 4.5ms',
    'web.login - INFO - [job-7] a job outside any request',
    'web.login - INFO - [-] no context',
  ]);
});

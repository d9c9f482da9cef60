import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'logform';
import {
  RotatingFileTransport,
  addHandlerFilter,
  addLevelName,
  compilePythonFormat,
  configureLogging,
  createModuleLogger,
  getRootLogger,
  moduleFilter,
  pythonFormat,
  resetLogging,
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

import * as path from 'node:path';
import type { DictLoggingConfig } from '../../src/index';

/** The app's line format: the seed's, with the request id of the line (`-` outside a request). */
export const WEB_APP_FORMAT = '%(asctime)s - %(name)s - %(levelname)s - %(requestId)s - %(message)s';

/** Options for {@link webAppLoggingConfig}. */
export interface WebAppLoggingOptions {
  /** Folder of `app.log` and `database-errors.log`. */
  logDir: string;
  /** The MongoDB server that receives the database module's ERROR records (the app's own data server). */
  mongoUri: string;
  /** Database of the `log` collection. */
  dbName: string;
  /** `NODE_ENV === 'production'`: INFO and above; otherwise DEBUG. */
  production: boolean;
}

const MiB = 1024 * 1024;

/**
 * The seed's four requirements as one `configureLogging` dict:
 * 1. console (stderr) and `app.log`, rolled over at 1 MiB with 3 backups (the seed's RotatingFileHandler);
 * 2. a logger per module with its own level: `auth` WARNING (as in the seed), `database` and `utils` at the
 *    environment's level, so that their DEBUG detail (queries, body parsing) shows in development only;
 * 3. INFO and above in production, DEBUG in development (the root's level);
 * 4. the `database` module's ERROR and above kept apart: its own rotating `database-errors.log` and MongoDB
 *    (collection `log`), on that logger only, so no other module's errors land there. Its records still
 *    propagate to the console and `app.log`.
 * `LOG_LEVEL` / `LOG_LEVELS` still override these levels (configureLogging's `useEnv`).
 */
export function webAppLoggingConfig(options: WebAppLoggingOptions): DictLoggingConfig {
  const level = options.production ? 'INFO' : 'DEBUG';
  const rotating = { maxBytes: MiB, backupCount: 3, formatter: 'std' } as const;
  return {
    version: 1,
    // The module loggers exist already (created when main imported them): keep them enabled.
    disable_existing_loggers: false,
    formatters: { std: { format: WEB_APP_FORMAT, defaults: { requestId: '-' } } },
    handlers: {
      console: { class: 'console', formatter: 'std' },
      file: { class: 'rotating_file', filename: path.join(options.logDir, 'app.log'), ...rotating },
      database_errors: {
        class: 'rotating_file',
        level: 'ERROR',
        filename: path.join(options.logDir, 'database-errors.log'),
        ...rotating,
      },
      database_mongo: {
        class: 'mongodb',
        level: 'ERROR',
        formatter: 'std',
        uri: options.mongoUri,
        dbName: options.dbName,
        collection: 'log',
        // A web app's outages are short: retry at least every 5 s, so records stored during one
        // arrive soon after the server is back (the default backoff grows to 30 s).
        retry: { initialDelayMs: 250, maxDelayMs: 5000 },
      },
    },
    loggers: {
      database: { level, handlers: ['database_errors', 'database_mongo'] },
      auth: { level: 'WARNING' },
      utils: { level },
    },
    root: { level, handlers: ['console', 'file'] },
  };
}

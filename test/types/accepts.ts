// Code that must compile: the forms the README shows, with the types an editor completes.
import { Writable } from 'node:stream';
import express from 'express';
import winston from 'winston';
import {
  LoggerAdapter,
  MongoTransport,
  RotatingFileTransport,
  TimedRotatingFileTransport,
  captureWarnings,
  configureLogging,
  createModuleLogger,
  enterLogContext,
  getLogContext,
  logContext,
  pythonFormat,
  requestContext,
  runWithLogContext,
} from 'winston-pylogging';
import type { HandlerConfig, LevelLike, LoggingConfig } from 'winston-pylogging';

const log = createModuleLogger('app', { level: 'INFO' });
log.log(25, 'a level by number');
log.log('info', 'a level by name');
log.log('notice', 'a name added with addLevelName');
log.setLevel('warning');
log.setLevel(15);
const levels: LevelLike[] = ['DEBUG', 'debug', 'warn', 'FATAL', 0, 42];

configureLogging({
  version: 1,
  formatters: { std: { format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' } },
  handlers: {
    console: { class: 'logging.StreamHandler', stream: 'ext://sys.stdout', formatter: 'std', color: true },
    file: {
      class: 'rotating_file',
      filename: 'app.log',
      maxBytes: 1_048_576,
      backupCount: 3,
      level: 'ERROR',
    },
    plain: { class: 'logging.FileHandler', filename: 'plain.log', mode: 'w', encoding: 'utf-8' },
    daily: {
      class: 'timed_rotating_file',
      filename: 'daily.log',
      when: 'midnight',
      backupCount: 7,
      layout: 'dated',
    },
    mongo: { class: 'mongodb', uri: 'mongodb://127.0.0.1:27017/app', collection: 'errors', batchSize: 100 },
    none: { class: 'logging.NullHandler' },
    own: new winston.transports.Stream({ stream: new Writable({ write: (_c, _e, cb) => cb() }) }),
  },
  loggers: { database: { level: 'INFO', handlers: ['file'], propagate: true } },
  root: { level: 'DEBUG', handlers: ['console'] },
});

configureLogging({
  level: 'INFO',
  format: '%(levelname)s %(name)s %(message)s',
  console: { stream: 'stdout' },
  file: { filename: 'app.log', maxBytes: 1024, backupCount: 2 },
  mongo: { uri: 'mongodb://127.0.0.1:27017/app', level: 'ERROR', batchSize: 50 },
  levels: { database: 'info', auth: 30 },
  errorFiles: { database: 'database-errors.log' },
  exclude: ['auth'],
});

const viaJson: LoggingConfig = { version: 1, incremental: true, handlers: { file: { level: 'WARNING' } } };
configureLogging(viaJson);

const entry: HandlerConfig = { class: 'console' };
void entry;
void levels;

new RotatingFileTransport({
  filename: 'x.log',
  maxBytes: 10,
  format: pythonFormat({ format: '%(message)s' }),
});
new TimedRotatingFileTransport({ filename: 'y.log', when: 'H', utc: true });
new TimedRotatingFileTransport({ filename: 'y.log', when: 'S', multiprocess: true, lockStaleMs: 5000 });
new MongoTransport({ uri: 'mongodb://127.0.0.1:27017/app', flushLevel: 'CRITICAL' });

// Issue 12: request context.
const app = express();
app.use(requestContext({ accessLog: 'http.access', generateId: () => 'id', clock: () => performance.now() }));
const returned: number = runWithLogContext({ requestId: 'r-1' }, () => 1);
const awaited: Promise<string> = runWithLogContext({ requestId: 'r-1' }, async () => 'done');
const requestId: unknown = getLogContext()?.requestId;
void [returned, awaited, requestId];
enterLogContext({ user: 'alice' });
winston.createLogger({
  format: winston.format.combine(logContext(), pythonFormat('%(requestId)s %(message)s')),
});
new LoggerAdapter(log, { jobId: 7 }).error('failed %s', 'job', { exc_info: new Error('x') });
captureWarnings(true);

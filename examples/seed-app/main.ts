import winston from 'winston';
import type Transport from 'winston-transport';
import {
  basicConfig,
  getLogger,
  moduleFilter,
  moduleName,
  MongoTransport,
  pythonFormat,
  RotatingFileTransport,
  shutdown,
} from '../../src/index';
import { authenticateUser } from './auth';
import { dbFunction } from './database';
import { helperFunction } from './utils';

// The seed's main.py: one formatter, a RotatingFileHandler (1 MiB, 3 backups) and a StreamHandler
// (stderr), then logging.basicConfig(level=logging.INFO, handlers=[file_handler, console_handler]).
const formatter = pythonFormat({ format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' });
const fileHandler = new RotatingFileTransport({
  filename: 'app.log',
  maxBytes: 1024 * 1024,
  backupCount: 3,
  format: formatter,
});
const consoleHandler = new winston.transports.Stream({
  stream: process.stderr,
  eol: '\n',
  format: formatter,
});
const handlers: Transport[] = [fileHandler, consoleHandler];
// Not in the seed: MongoDB receives the ERROR+ records when MONGODB_URI is set.
const mongoUri = process.env.MONGODB_URI;
if (mongoUri) handlers.push(new MongoTransport({ uri: mongoUri, level: 'error', format: formatter }));
basicConfig({ level: 'INFO', handlers });

if (process.env.SEED_VARIANT === 'filter') {
  // The seed's ExcludeAuthFilter, added to the auth logger itself.
  getLogger('auth').addFilter(moduleFilter({ exclude: 'auth' }));
}

// Python's getLogger(__name__): this is the entry module, so its name is '__main__'.
const logger = getLogger(moduleName(module));

function main(): void {
  logger.info('Starting the application');
  dbFunction();
  authenticateUser('test_user');
  helperFunction();
  logger.info('Application finished');
}

main();
void shutdown().then((report) => {
  if (!report.delivered) process.exitCode = 1;
});

import { configureLogging, getLogger, moduleFilter, moduleName, shutdown } from '../../src/index';
import { authenticateUser } from './auth';
import { dbFunction } from './database';
import { helperFunction } from './utils';

// The seed's main.py: console (stderr) and app.log (rotated at 1 MiB, 3 backups) on the root logger,
// root at INFO like basicConfig(level=INFO). MongoDB receives the ERROR+ records when MONGODB_URI is set.
const mongoUri = process.env.MONGODB_URI;
configureLogging({
  level: 'INFO',
  format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s',
  console: true,
  file: { filename: 'app.log', maxBytes: 1024 * 1024, backupCount: 3 },
  ...(mongoUri ? { mongo: { uri: mongoUri, level: 'ERROR' } } : {}),
});

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

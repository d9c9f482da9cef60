import { getLogger } from '../../src/index';

// The database module's own logger, INFO and above (the seed's database.py).
const logger = getLogger('database');
logger.setLevel('INFO');

/** The seed's db_function(). */
export function dbFunction(): void {
  logger.info('Starting database function');
  try {
    logger.debug('Attempting to connect to the database');
    logger.info('Connected to the database');
  } catch (err) {
    logger.error('Database connection failed', err);
  }
  logger.info('Database function finished');
}

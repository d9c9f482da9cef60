import { getLogger } from '../../src/index';

// The utils module's logger records everything, DEBUG included.
const logger = getLogger('utils');
logger.setLevel('DEBUG');

/** The seed's helper_function(). */
export function helperFunction(): void {
  logger.debug('Starting helper function');
  logger.debug('Helper function is performing a task');
  logger.info('Helper function finished');
}

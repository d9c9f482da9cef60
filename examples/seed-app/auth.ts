import { getLogger } from '../../src/index';

// The auth module's logger: WARNING and above, or ERROR in the seed's "level adjustment" variant.
const logger = getLogger('auth');
logger.setLevel(process.env.SEED_VARIANT === 'auth-error' ? 'ERROR' : 'WARNING');

/** The seed's authenticate_user(username). */
export function authenticateUser(username: string): boolean {
  logger.info(`Authenticating user: ${username}`);
  if (username !== 'valid_user') {
    logger.warning(`Authentication failed for user: ${username}`);
    return false;
  }
  logger.info(`User ${username} authenticated successfully`);
  return true;
}

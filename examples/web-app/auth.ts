import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { getLogger } from '../../src/index';
import type { Database, UserDoc } from './database';

// The seed's auth.py: the auth module's logger, WARNING and above (set by main's configuration), so a
// failed login is recorded and a successful one is not.
const logger = getLogger('auth');

const scryptAsync = promisify(scrypt) as (password: string, salt: string, keylen: number) => Promise<Buffer>;
const KEY_BYTES = 32;

/** The seed's users: `valid_user` logs in (with this password); `test_user` does not exist, so it fails. */
export const SEED_USER = { username: 'valid_user', password: 'valid_password' } as const;

/** A user document for `username` with `password` stored as a salted scrypt hash. */
export async function hashPassword(username: string, password: string): Promise<UserDoc> {
  const salt = randomBytes(16).toString('hex');
  const key = await scryptAsync(password, salt, KEY_BYTES);
  return { username, salt, passwordHash: key.toString('hex') };
}

/** The seed's authenticate_user(username), with a password checked against the users collection. */
export async function authenticateUser(db: Database, username: string, password: string): Promise<boolean> {
  logger.info('Authenticating user: %s', username);
  const user = await db.findUser(username);
  if (user === null || !(await passwordMatches(user, password))) {
    logger.warning('Authentication failed for user: %s', username);
    return false;
  }
  logger.info('User %s authenticated successfully', username);
  return true;
}

async function passwordMatches(user: UserDoc, password: string): Promise<boolean> {
  const expected = Buffer.from(user.passwordHash, 'hex');
  const actual = await scryptAsync(password, user.salt, KEY_BYTES);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Integration-suite setup. Services that integration tests need (FerretDB for the MongoDB tests) are
// started here, once for the whole run, and their addresses passed to tests through process.env
// (jest starts its workers after this, so they inherit it).
import { TEST_SKIP_ENV, TEST_URI_ENV, findFerretDB, startFerretDB } from './ferretdb';
import type { FerretDBInstance } from './ferretdb';

/** The shared FerretDB, kept where global-teardown (same process) can stop it. */
export const SHARED_FERRETDB = Symbol.for('winston-pylogging.test.ferretdb');

// jest requires globalSetup modules to default-export their function.
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env[TEST_URI_ENV] = process.env.MONGODB_URI;
    return;
  }
  const found = findFerretDB();
  if ('reason' in found) {
    process.env[TEST_SKIP_ENV] = found.reason;
    process.stderr.write(`\n[global-setup] MongoDB tests will be skipped: ${found.reason}\n`);
    return;
  }
  try {
    const server: FerretDBInstance = await startFerretDB();
    (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB] = server;
    process.env[TEST_URI_ENV] = server.uri;
    process.env.FERRETDB_BIN = found.bin;
  } catch (err) {
    const reason = `FerretDB did not start: ${err instanceof Error ? err.message : String(err)}`;
    process.env[TEST_SKIP_ENV] = reason;
    process.stderr.write(`\n[global-setup] MongoDB tests will be skipped: ${reason}\n`);
  }
}

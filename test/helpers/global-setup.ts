// Integration-suite setup. The MongoDB tests run against a real FerretDB: found (FERRETDB_BIN, PATH, or
// where scripts/install-ferretdb.sh puts it), else built once by that script (needs Go), then started
// here once for the whole run, its address passed to the tests through process.env (jest starts its
// workers after this, so they inherit it). MONGODB_URI points the shared tests at a server of your own;
// the outage test still starts (and kills) a private FerretDB. No server: the run fails (there is no opt-out).
import { TEST_URI_ENV, ferretdbInstallDir, findFerretDB, installFerretDB, startFerretDB } from './ferretdb';
import type { FerretDBInstance } from './ferretdb';

/** The shared FerretDB, kept where global-teardown (same process) can stop it. */
export const SHARED_FERRETDB = Symbol.for('winston-pylogging.test.ferretdb');

/** What to do when no server can be had: the exact steps, in the error that fails the run. */
function noServer(reason: string): Error {
  return new Error(
    `The MongoDB tests need FerretDB and none could be had: ${reason}.\n` +
      'Do one of these, then run `npm test` again:\n' +
      '  - install Go 1.24 or later (https://go.dev/dl/): `npm test` then builds FerretDB itself, once\n' +
      `    (scripts/install-ferretdb.sh, into $GOBIN or $(go env GOPATH)/bin; about 2-3 minutes the first time);\n` +
      '  - or set FERRETDB_BIN to a FerretDB 1.x binary (MONGODB_URI=mongodb://… additionally sends the shared\n' +
      '    tests to a server of your own).',
  );
}

/** Builds FerretDB with scripts/install-ferretdb.sh; its output is shown only when it fails. */
function install(): void {
  const dir = ferretdbInstallDir();
  if (dir === undefined)
    throw noServer('no FerretDB binary was found, and Go (which builds one) is not installed');
  process.stderr.write(
    `\n[global-setup] FerretDB not found: building it once into ${dir} (scripts/install-ferretdb.sh, 2-3 minutes)\n`,
  );
  const started = Date.now();
  const built = installFerretDB();
  if (!built.ok) throw noServer(`scripts/install-ferretdb.sh failed:\n${built.output}`);
  process.stderr.write(`[global-setup] FerretDB built in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

// jest requires globalSetup modules to default-export their function.
export default async function globalSetup(): Promise<void> {
  let found = findFerretDB();
  if ('reason' in found) {
    install();
    found = findFerretDB();
    if ('reason' in found) throw noServer(`scripts/install-ferretdb.sh ran, but ${found.reason}`);
  }
  process.env.FERRETDB_BIN = found.bin;
  if (process.env.MONGODB_URI) {
    process.env[TEST_URI_ENV] = process.env.MONGODB_URI;
    return;
  }
  let server: FerretDBInstance;
  try {
    server = await startFerretDB();
  } catch (err) {
    throw noServer(`${found.bin} did not start (${err instanceof Error ? err.message : String(err)})`);
  }
  (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB] = server;
  process.env[TEST_URI_ENV] = server.uri;
}

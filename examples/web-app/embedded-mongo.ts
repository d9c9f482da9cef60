import { mkdirSync } from 'node:fs';
import { findFerretDB, installFerretDB, startFerretDB } from '../../scripts/ferretdb';
import type { FerretDBInstance } from '../../scripts/ferretdb';

/**
 * The app's default server when `MONGODB_URI` is not set: FerretDB 1.24 with the SQLite backend on a free
 * port of 127.0.0.1, found or built exactly as the tests find or build it (scripts/ferretdb.ts). Its data
 * lives in `dataDir` when given (kept across runs), else in a temporary folder removed by `stop()`.
 * It runs in its own process group, so a Ctrl-C reaches only the app, which flushes its logs into the
 * server before stopping it.
 */
export async function startEmbeddedMongo(dataDir?: string): Promise<FerretDBInstance> {
  if ('reason' in findFerretDB()) {
    // Logging is not configured yet (it needs this server's address): plain stderr.
    process.stderr.write(
      'web-app: MONGODB_URI is not set and no FerretDB was found: building FerretDB 1.24 once with ' +
        'scripts/install-ferretdb.sh (needs Go >= 1.24; about 2-3 minutes)\n',
    );
    const built = installFerretDB();
    if (!built.ok) throw new Error(`scripts/install-ferretdb.sh failed:\n${built.output}`);
  }
  if (dataDir === undefined) return startFerretDB({ detached: true });
  mkdirSync(dataDir, { recursive: true });
  return startFerretDB({ detached: true, dataDir });
}

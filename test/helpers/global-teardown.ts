import { SKIP_MONGODB_ENV, mongoTestsSkipped } from './ferretdb';
import type { FerretDBInstance } from './ferretdb';
import { SHARED_FERRETDB } from './global-setup';

// jest requires globalTeardown modules to default-export their function.
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB] as FerretDBInstance | undefined;
  if (server !== undefined) {
    delete (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB];
    await server.stop();
  }
  // jest prints its summary before the global teardown runs, so this is the run's last line.
  if (mongoTestsSkipped())
    process.stderr.write(
      `\nMongoDB tests SKIPPED on purpose (${SKIP_MONGODB_ENV}=1): this run did not test MongoDB.\n`,
    );
}

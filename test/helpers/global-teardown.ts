import type { FerretDBInstance } from './ferretdb';
import { SHARED_FERRETDB } from './global-setup';

// jest requires globalTeardown modules to default-export their function.
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB] as FerretDBInstance | undefined;
  if (server !== undefined) {
    delete (globalThis as Record<symbol, unknown>)[SHARED_FERRETDB];
    await server.stop();
  }
}

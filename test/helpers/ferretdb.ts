import * as net from 'node:net';
import { freePort } from '../../scripts/ferretdb';

// Finding, building and starting FerretDB is shared with the web-app example (scripts/ferretdb.ts);
// what only the tests need (the opt-out, the shared server's URI, the TCP proxy) stays here.
export {
  canConnect,
  ferretdbInstallDir,
  findFerretDB,
  freePort,
  installFerretDB,
  startFerretDB,
} from '../../scripts/ferretdb';
export type { FerretDBInstance, StartFerretDBOptions } from '../../scripts/ferretdb';

/** Where the integration tests find the shared server: set by global-setup. */
export const TEST_URI_ENV = 'PYLOG_TEST_MONGODB_URI';

/**
 * The shared test server's URI (exported by global-setup, else MONGODB_URI). A missing server throws, so
 * the suite fails, never skips: the MongoDB tests have no opt-out.
 */
export function sharedMongoUri(): string {
  const uri = process.env[TEST_URI_ENV] ?? process.env.MONGODB_URI;
  if (uri) return uri;
  throw new Error(
    'no MongoDB server for the tests: run them with `npm test` (its global setup provides FerretDB) or set MONGODB_URI',
  );
}

/** A TCP proxy in front of a server, for outage and slow-server tests. */
export interface TcpProxy {
  port: number;
  /** Milliseconds every chunk waits in each direction (order is kept). */
  delayMs: number;
  /** Starts accepting connections on `port`. */
  listen(): Promise<void>;
  /** Stops accepting and cuts every open connection (the server looks down). */
  close(): Promise<void>;
}

/**
 * A real TCP proxy to `target` on a fixed free port of 127.0.0.1: `close()` makes the server look
 * down, `listen()` brings it back, `delayMs` makes it slow.
 */
export async function createTcpProxy(target: { host: string; port: number }, delayMs = 0): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const relay = (from: net.Socket, to: net.Socket, proxy: TcpProxy): void => {
    from.on('data', (chunk: Buffer) => {
      if (proxy.delayMs <= 0) to.write(chunk);
      else setTimeout(() => to.destroyed || to.write(chunk), proxy.delayMs);
    });
  };
  const proxy: TcpProxy = {
    port,
    delayMs,
    listen() {
      return new Promise((resolve, reject) => {
        server = net.createServer((client) => {
          const upstream = net.connect({ host: target.host, port: target.port });
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('close', () => sockets.delete(s));
            s.on('error', () => {
              client.destroy();
              upstream.destroy();
            });
          }
          relay(client, upstream, proxy);
          relay(upstream, client, proxy);
          client.on('close', () => upstream.destroy());
          upstream.on('close', () => client.destroy());
        });
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => {
        if (server === undefined) return resolve();
        server.close(() => resolve());
        server = undefined;
      });
    },
  };
  return proxy;
}

/** `uri` with its (single) host replaced by the proxy's address. */
export function viaProxy(uri: string, proxy: TcpProxy): string {
  const u = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
  return uri.replace(u.host, `127.0.0.1:${proxy.port}`);
}

/** Host and port of a single-host `mongodb://` URI. */
export function hostOf(uri: string): { host: string; port: number } {
  const u = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
  return { host: u.hostname, port: u.port ? Number(u.port) : 27017 };
}

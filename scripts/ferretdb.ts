// FerretDB 1.24 (SQLite backend) for everything in this repository that needs a MongoDB server: the
// integration tests (through test/helpers/ferretdb.ts and their global setup) and the web-app example's
// embedded default (examples/web-app, when MONGODB_URI is not set). One place finds, builds and starts it.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** `scripts/install-ferretdb.sh`: builds FerretDB 1.24.2 into `$GOBIN`, else `$(go env GOPATH)/bin`. */
export const INSTALL_FERRETDB_SCRIPT = path.join(__dirname, 'install-ferretdb.sh');

/** Options for {@link startFerretDB}. */
export interface StartFerretDBOptions {
  /** SQLite data directory; a fresh temp dir (removed by `stop()`) when omitted. Reuse it to restart on the same data. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /**
   * Start the server in its own process group, so that a Ctrl-C in the terminal (SIGINT to the whole
   * foreground group) reaches only the app, which can then flush its logs to the server before stopping it.
   * @defaultValue false
   */
  detached?: boolean;
}

/** A running FerretDB. */
export interface FerretDBInstance {
  uri: string;
  port: number;
  dataDir: string;
  /** The server's process id (for SIGSTOP/SIGCONT fault tests). */
  pid: number;
  /** SIGTERM, wait for exit; removes the data dir when the helper created it. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), wait for exit; the data dir is kept for a restart. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Where `scripts/install-ferretdb.sh` puts the binary: `$GOBIN`, else `$(go env GOPATH)/bin`; undefined without Go. */
export function ferretdbInstallDir(): string | undefined {
  const env = spawnSync('go', ['env', 'GOBIN', 'GOPATH'], { encoding: 'utf8' });
  if (env.status !== 0) return undefined;
  const [gobin = '', gopath = ''] = env.stdout.split('\n').map((l) => l.trim());
  if (gobin) return gobin;
  return gopath ? path.join(gopath.split(path.delimiter)[0] ?? gopath, 'bin') : undefined;
}

/**
 * Finds a working FerretDB binary: `FERRETDB_BIN`, `ferretdb` on PATH, then where
 * `scripts/install-ferretdb.sh` installs it ({@link ferretdbInstallDir}).
 * Returns the reason when none runs (a binary that fails `--version` does not count).
 */
export function findFerretDB(): { bin: string } | { reason: string } {
  const candidates: string[] = [];
  if (process.env.FERRETDB_BIN) candidates.push(process.env.FERRETDB_BIN);
  const onPath = spawnSync('sh', ['-c', 'command -v ferretdb'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) candidates.push(onPath.stdout.trim());
  const installDir = ferretdbInstallDir();
  if (installDir !== undefined) candidates.push(path.join(installDir, 'ferretdb'));
  const failures: string[] = [];
  for (const bin of new Set(candidates)) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0 && /version/i.test(r.stdout)) return { bin };
    const why = r.error ? r.error.message : (r.stderr || r.stdout).split('\n').slice(0, 2).join(' ');
    failures.push(`${bin}: ${why.trim() || `exit ${String(r.status)}`}`);
  }
  return {
    reason:
      candidates.length === 0
        ? 'no FerretDB binary: none in FERRETDB_BIN, none on PATH, and Go (which builds one) is not installed'
        : `no working FerretDB binary (${failures.join('; ')})`,
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts FerretDB 1.24 with the SQLite backend on 127.0.0.1 (telemetry and the debug HTTP server off)
 * and resolves once it accepts connections. Every process started here is killed when this process exits.
 */
export async function startFerretDB(options: StartFerretDBOptions = {}): Promise<FerretDBInstance> {
  const found = findFerretDB();
  if ('reason' in found) throw new Error(found.reason);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pylog-ferretdb-'));
  const port = options.port ?? (await freePort());
  const child = spawn(
    found.bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, FERRETDB_TELEMETRY: 'disable' },
      detached: options.detached ?? false,
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `FerretDB exited at startup (${String(child.exitCode ?? child.signalCode)}): ${stderr.trim()}`,
      );
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not accept connections on port ${port} within 20 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    pid: child.pid ?? -1,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await waitExit(child);
      clearTimeout(timer);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      child.kill('SIGKILL');
      await waitExit(child);
    },
  };
}

/**
 * Runs {@link INSTALL_FERRETDB_SCRIPT} (needs Go) and returns its exit status and output; the caller decides
 * what to show. Afterwards {@link findFerretDB} finds the binary.
 */
export function installFerretDB(): { ok: boolean; output: string } {
  const r = spawnSync('bash', [INSTALL_FERRETDB_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failure = r.error?.message ?? (r.status === 0 ? '' : `exit ${String(r.status)}`);
  return { ok: failure === '', output: `${failure ? `${failure}\n` : ''}${r.stdout ?? ''}${r.stderr ?? ''}` };
}

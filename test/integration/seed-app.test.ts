import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'seed-app');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'examples', 'seed-app', 'main.ts');
const ASCTIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}/;

const VARIANTS = ['default', 'filter', 'auth-error'] as const;
type Variant = (typeof VARIANTS)[number];

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const PYTHON = hasPython();

/** An environment without the variables that would change either program's levels or handlers. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['LOG_LEVEL', 'LOG_LEVELS', 'NODE_ENV', 'LOGGING_CONFIG', 'MONGODB_URI', 'SEED_VARIANT'])
    delete env[k];
  return { ...env, ...extra };
}

/** Lines with the asctime prefix checked and replaced, as the stored fixtures are. */
function normalise(text: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  for (const line of lines)
    if (/ - (__main__|database|auth|utils) - /.test(line)) expect(line).toMatch(ASCTIME);
  return lines.map((l) => l.replace(ASCTIME, '<ASCTIME>'));
}

function run(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(file)} failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

async function python(variant: Variant, dir: string): Promise<{ console: string[]; file: string[] }> {
  const src = path.join(FIXTURES, 'python');
  for (const f of ['database.py', 'auth.py', 'utils.py', 'main.py'])
    fs.copyFileSync(path.join(src, f), path.join(dir, f));
  if (variant === 'filter') fs.copyFileSync(path.join(src, 'main_filter.py'), path.join(dir, 'main.py'));
  if (variant === 'auth-error') fs.copyFileSync(path.join(src, 'auth_error.py'), path.join(dir, 'auth.py'));
  const { stdout, stderr } = await run('python3', ['main.py'], dir, cleanEnv());
  expect(stdout).toBe('');
  return { console: normalise(stderr), file: normalise(fs.readFileSync(path.join(dir, 'app.log'), 'utf8')) };
}

function stored(variant: Variant): { console: string[]; file: string[] } {
  const lines = fs
    .readFileSync(path.join(FIXTURES, `${variant}.txt`), 'utf8')
    .replace(/\n$/, '')
    .split('\n');
  return { console: lines, file: lines };
}

describe(`examples/seed-app matches the seed's Python program (${PYTHON ? 'CPython, run now' : 'stored CPython output'})`, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const tmp = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-app-'));
    dirs.push(d);
    return d;
  };

  it.each(VARIANTS)(
    'variant %s: console (stderr) and app.log lines equal CPython apart from timestamps',
    async (variant) => {
      const nodeDir = tmp();
      const env = cleanEnv(variant === 'default' ? {} : { SEED_VARIANT: variant });
      const [expected, node] = await Promise.all([
        PYTHON ? python(variant, tmp()) : Promise.resolve(stored(variant)),
        run(TSX, [MAIN], nodeDir, env),
      ]);
      expect(node.stdout).toBe('');
      expect(normalise(node.stderr)).toEqual(expected.console);
      expect(normalise(fs.readFileSync(path.join(nodeDir, 'app.log'), 'utf8'))).toEqual(expected.file);
      // The stored files are CPython's: a live CPython run must agree with them too.
      expect(expected.file).toEqual(stored(variant).file);
    },
  );

  it('appends to app.log on a second run, as RotatingFileHandler does', async () => {
    const dir = tmp();
    await run(TSX, [MAIN], dir, cleanEnv());
    await run(TSX, [MAIN], dir, cleanEnv());
    const lines = normalise(fs.readFileSync(path.join(dir, 'app.log'), 'utf8'));
    expect(lines).toEqual([...stored('default').file, ...stored('default').file]);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sharedMongoUri } from '../helpers/ferretdb';

// Every ```ts block of README.md runs as written: each in its own temp directory, in a real child process
// (tsx), with `winston-pylogging` resolved to this checkout's source. A block opts out only with the marker
// `<!-- readme-test: skip because <reason> -->` on the line before its fence, which becomes a visible test
// of its own. A ```ts esm block runs as an ES module (top-level await). Every `// → text` comment is an
// output the block claims: the text must appear as a line of the block's stdout or stderr, where a
// timestamp (2026-11-21 12:00:00,123 or 12:00:00) stands for any timestamp. The blocks also compile
// (test/types settings: strict, skipLibCheck off), checked in one tsc run.
const ROOT = path.resolve(__dirname, '..', '..');
const README = path.join(ROOT, 'README.md');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SKIP = /^<!--\s*readme-test:\s*skip because\s+(\S.*?)\s*-->$/;

interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  esm: boolean;
  code: string;
  /** The reason given by a skip marker, if the block has one. */
  skip?: string;
  /** The `// →` claims, in order. */
  claims: string[];
}

/** The ```ts blocks of a markdown text, with their skip markers and `// →` claims. */
function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```ts(?:\s+(esm))?\s*$/.exec(lines[i]!);
    if (open === null) {
      if (/^```/.test(lines[i]!)) {
        // Skip any other fenced block whole, so its contents are never read as a fence.
        const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
        if (end > i) i = end;
      }
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const code = lines.slice(i + 1, end).join('\n');
    const marker = SKIP.exec((lines[i - 1] ?? '').trim());
    const claims = [...code.matchAll(/\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
    blocks.push({
      line: i + 1,
      esm: open[1] === 'esm',
      code,
      claims,
      ...(marker ? { skip: marker[1]! } : {}),
    });
    i = end;
  }
  return blocks;
}

/** A claim as a line pattern: timestamps stand for any timestamp, everything else is literal. */
function claimPattern(claim: string): RegExp {
  const escaped = claim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stamped = escaped
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}/g, '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}')
    .replace(/(?<![\d:])\d{2}:\d{2}:\d{2}(?![\d:,])/g, '\\d{2}:\\d{2}:\\d{2}');
  return new RegExp(`^${stamped}$`, 'm');
}

function run(
  dir: string,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, file], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** A directory where `winston-pylogging` is this checkout's source and everything else the project's node_modules. */
function project(root: string): void {
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2023'],
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      esModuleInterop: true,
      noEmit: true,
      types: ['node'],
      paths: { 'winston-pylogging': [path.join(ROOT, 'src', 'index.ts')] },
    },
  };
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
}

const blocks = readmeBlocks(fs.readFileSync(README, 'utf8'));
const fileOf = (b: ReadmeBlock): string => `block-${b.line}.${b.esm ? 'mts' : 'ts'}`;

describe('README.md code blocks', () => {
  let work: string;
  let mongoUri: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'pylog-readme-'));
    mongoUri = sharedMongoUri();
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('has ts blocks, each skip marker with a reason', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    const markers = fs
      .readFileSync(README, 'utf8')
      .split('\n')
      .filter((l) => /^\s*<!--\s*readme-test/.test(l));
    for (const m of markers) expect(m.trim()).toMatch(SKIP);
  });

  it('compile (strict, skipLibCheck off)', () => {
    const dir = path.join(work, 'tsc');
    fs.mkdirSync(dir);
    project(dir);
    for (const b of blocks) if (b.skip === undefined) fs.writeFileSync(path.join(dir, fileOf(b)), b.code);
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  for (const b of blocks) {
    if (b.skip !== undefined) {
      it(`block at line ${b.line} is not run: ${b.skip}`, () => {
        expect(b.skip!.length).toBeGreaterThan(10);
      });
      continue;
    }
    it(`block at line ${b.line} runs and prints what it claims`, async () => {
      const dir = path.join(work, `run-${b.line}`);
      fs.mkdirSync(dir);
      project(dir);
      fs.writeFileSync(path.join(dir, fileOf(b)), b.code);
      const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: mongoUri };
      for (const k of ['LOG_LEVEL', 'LOG_LEVELS', 'NODE_ENV', 'LOGGING_CONFIG']) delete env[k];
      const { code, out } = await run(dir, fileOf(b), env);
      if (code !== 0) throw new Error(`README.md:${b.line}: exit ${String(code)}\n${out}`);
      for (const claim of b.claims) {
        if (!claimPattern(claim).test(out))
          throw new Error(`README.md:${b.line}: claims "${claim}", but the block printed:\n${out}`);
      }
    }, 90_000);
  }
});

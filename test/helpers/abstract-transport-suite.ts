import abstractWinstonTransport from 'abstract-winston-transport';
import type Transport from 'winston-transport';
import { finished } from './transport-contract';

/** Options for {@link runAbstractTransportSuite}. */
export interface AbstractTransportSuiteOptions<O, T extends Transport> {
  /** Shown in the describe title. */
  name: string;
  /** The real transport class, constructed unchanged. */
  Transport: new (options: O) => T;
  /** Fresh options for each of the suite's instances (called before every test). */
  construct: () => O;
  /** Runs after each test and once at the end, with every instance created since the last call. */
  cleanup?: (instances: T[]) => Promise<void>;
}

// The `this` of mocha's hooks and tests. jest cannot change a test's timeout once it runs, so the
// calling file sets it with jest.setTimeout; these keep mocha-only calls from throwing.
interface MochaContext {
  timeout(ms?: number): MochaContext;
  slow(ms?: number): MochaContext;
}

type MochaFn = (this: MochaContext, done?: (error?: unknown) => void) => unknown;

function inContext(fn: MochaFn): (...args: never[]) => unknown {
  const ctx: MochaContext = { timeout: () => ctx, slow: () => ctx };
  // jest, like mocha, tells a done-style function by its arity: keep it.
  return fn.length > 0 ? (done: (error?: unknown) => void) => fn.call(ctx, done) : () => fn.call(ctx);
}

/**
 * Runs winston's shared transport suite (`abstract-winston-transport`, written for mocha) under jest,
 * unmodified: mocha's `before`/`after` become `beforeAll`/`afterAll` and every callback gets a mocha-like
 * `this`, only while the suite registers its tests (registration is synchronous). Every instance the
 * suite constructs is tracked (a construct trap, so each is exactly the real class) and handed to
 * `cleanup` after each test, since the suite itself never closes what it creates.
 */
export function runAbstractTransportSuite<O, T extends Transport>(
  options: AbstractTransportSuiteOptions<O, T>,
): void {
  const created: T[] = [];
  const Tracked = new Proxy(options.Transport, {
    construct(target, args: [O]) {
      const instance = new target(...args);
      created.push(instance);
      return instance;
    },
  });
  const cleanup = options.cleanup ?? endAll;

  const g = globalThis as unknown as Record<string, unknown>;
  const wrap =
    (register: (...args: never[]) => unknown) =>
    (...args: unknown[]): unknown =>
      (register as (...a: unknown[]) => unknown)(
        ...args.map((a) => (typeof a === 'function' ? inContext(a as MochaFn) : a)),
      );
  let tests = 0;
  // The global `it` is replaced below: keep jest's own.
  const jestIt = it;
  const replaced = {
    describe: wrap(describe),
    it: wrap((...args: Parameters<typeof it>) => {
      tests++;
      return jestIt(...args);
    }),
    beforeEach: wrap(beforeEach),
    afterEach: wrap(afterEach),
    before: wrap(beforeAll),
    after: wrap(afterAll),
  };
  const saved = Object.fromEntries(Object.keys(replaced).map((k) => [k, g[k]]));
  Object.assign(g, replaced);
  try {
    abstractWinstonTransport({
      name: options.name,
      Transport: Tracked,
      construct: options.construct,
      afterEach: (_opts, done) => {
        cleanup(created.splice(0)).then(() => done(), done);
      },
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
  }
  // A suite version that registered nothing (or only through globals this adapter does not map) would
  // otherwise pass unnoticed.
  if (tests === 0) throw new Error('abstract-winston-transport registered no tests');
}

/** Ends each transport and waits for its `'finish'` (every record written, files closed). */
export async function endAll(instances: Transport[]): Promise<void> {
  await Promise.all(instances.map(finished));
}

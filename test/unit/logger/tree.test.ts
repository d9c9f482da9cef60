import { execFileSync } from 'node:child_process';
import { createModuleLogger, getRootLogger, resetLogging } from '../../../src/logger/create-module-logger';
import type { ModuleLogger } from '../../../src/logger/module-logger';
import { registry } from '../../../src/logger/registry';

beforeEach(() => {
  delete process.env.LOG_LEVELS;
  delete process.env.LOG_LEVEL;
  resetLogging();
});
afterAll(() => resetLogging());

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Each logger's parent chain up to the root, by name. */
function chain(logger: ModuleLogger): string[] {
  const out: string[] = [];
  for (let p = logger.parent; p !== null; p = p.parent) out.push(p.name);
  return out;
}

/**
 * CPython's answer: for each creation order, a fresh `logging.Manager` creates the loggers in that order
 * and reports every logger's parent chain.
 */
function cpythonChains(orders: string[][]): Array<Record<string, string[]>> {
  const script = `
import json, logging, sys
out = []
for order in json.load(sys.stdin):
    manager = logging.Manager(logging.RootLogger(logging.WARNING))
    made = {name: manager.getLogger(name) for name in order}
    chains = {}
    for name, logger in made.items():
        c, p = [], logger.parent
        while p is not None:
            c.append(p.name)
            p = p.parent
        chains[name] = c
    out.append(chains)
print(json.dumps(out))
`;
  const text = execFileSync('python3', ['-c', script], { input: JSON.stringify(orders), encoding: 'utf8' });
  return JSON.parse(text) as Array<Record<string, string[]>>;
}

function ourChains(orders: string[][]): Array<Record<string, string[]>> {
  return orders.map((order) => {
    resetLogging();
    const made = order.map((name) => createModuleLogger(name));
    return Object.fromEntries(made.map((l) => [l.name, chain(l)]));
  });
}

describe("the logger tree follows CPython's placeholder algorithm", () => {
  it('a.b.c, a and a.b created in every order have the parents CPython gives them', () => {
    const orders = permutations(['a.b.c', 'a', 'a.b']);
    expect(orders).toHaveLength(6);
    const expected = cpythonChains(orders);
    // Sanity: CPython's answer is the full chain whatever the order.
    expect(expected[0]?.['a.b.c']).toEqual(['a.b', 'a', 'root']);
    expect(ourChains(orders)).toEqual(expected);
  });

  it('siblings, look-alike prefixes and empty segments in several orders match CPython', () => {
    const names = ['a.b.c', 'a.b.d', 'a', 'a.bc', 'a.b', 'x.a.b', 'a..b', 'a.'];
    const orders = [
      names,
      [...names].reverse(),
      ['a.b.c', 'a.b.d', 'a.bc', 'a..b', 'a.', 'x.a.b', 'a.b', 'a'],
      ['a', 'a.', 'a..b', 'a.b', 'a.b.d', 'a.bc', 'x.a.b', 'a.b.c'],
    ];
    expect(ourChains(orders)).toEqual(cpythonChains(orders));
  });

  it('10,000 loggers created below placeholders: each creation touches only its own prefixes', () => {
    const n = 10_000;
    const leaves: ModuleLogger[] = [];
    for (let i = 0; i < n; i++) leaves.push(createModuleLogger(`svc.m${i}.leaf`));
    // Every placeholder lists exactly the loggers below it: 'svc' all of them, each 'svc.m<i>' its one.
    expect(registry.placeholders.size).toBe(n + 1);
    expect(registry.placeholders.get('svc')?.size).toBe(n);
    const own = leaves.filter((leaf, i) => {
      const waiting = registry.placeholders.get(`svc.m${i}`);
      return waiting?.size === 1 && waiting.has(leaf);
    });
    expect(own).toHaveLength(n);
    expect(leaves.filter((l) => l.parent === getRootLogger())).toHaveLength(n);

    // Creating 'svc' adopts the loggers waiting below it and nothing else.
    const svc = createModuleLogger('svc');
    expect(registry.placeholders.has('svc')).toBe(false);
    expect(registry.placeholders.size).toBe(n);
    expect(leaves.filter((l) => l.parent === svc)).toHaveLength(n);

    // Creating one middle logger changes its one waiting leaf; the other 9,999 keep their parent.
    const m5 = createModuleLogger('svc.m5');
    expect(m5.parent).toBe(svc);
    expect(leaves[5]?.parent).toBe(m5);
    expect(registry.placeholders.has('svc.m5')).toBe(false);
    expect(registry.placeholders.size).toBe(n - 1);
    expect(leaves.filter((l) => l.parent === svc)).toHaveLength(n - 1);
    expect(registry.loggers.size).toBe(n + 2);
  });

  it('getChild names the child below the logger; the root names it bare', () => {
    const a = createModuleLogger('a');
    const child = a.getChild('b.c');
    expect(child.name).toBe('a.b.c');
    expect(child).toBe(createModuleLogger('a.b.c'));
    expect(child.parent).toBe(a);
    const b = a.getChild('b');
    expect(child.parent).toBe(b);
    expect(b.parent).toBe(a);
    expect(getRootLogger().getChild('y').name).toBe('y');
    expect(getRootLogger().getChild('y').parent).toBe(getRootLogger());
  });

  it('resetLogging clears the placeholders: a logger made after it adopts nothing from before', () => {
    const old = createModuleLogger('p.q.r');
    expect(registry.placeholders.size).toBe(2);
    resetLogging();
    expect(registry.placeholders.size).toBe(0);
    expect(registry.loggers.size).toBe(0);
    const p = createModuleLogger('p');
    expect(old.parent).not.toBe(p);
    const fresh = createModuleLogger('p.q.r');
    expect(fresh).not.toBe(old);
    expect(fresh.parent).toBe(p);
    expect(chain(fresh)).toEqual(['p', 'root']);
  });
});

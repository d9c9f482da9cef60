import { LEVEL } from 'triple-beam';
import type { TransformableInfo } from 'logform';
import { matchesLoggerName, moduleFilter } from '../../../formats/module-filter';
import { PY_RECORD } from '../../../src/record/record';
import { ConfigError } from '../../../src/errors';

function infoFor(name: string): TransformableInfo {
  return {
    level: 'info',
    message: 'm',
    [LEVEL]: 'info',
    [PY_RECORD]: { name, created: 0 },
  };
}

describe('matchesLoggerName (Python Filter(name) rule)', () => {
  // The table of spec.md §4, produced by CPython 3.11: Filter('A.B') against each record name.
  it.each([
    ['A.B', true],
    ['A.B.C', true],
    ['A.B.C.D', true],
    ['A.B.', true],
    ['A', false],
    ['A.BB', false],
    ['A.BC.D', false],
    ['B.A.B', false],
    ['a.b', false],
  ])('Filter("A.B") on %p -> %p', (name, expected) => {
    expect(matchesLoggerName('A.B', name)).toBe(expected);
  });

  it("Filter('') matches everything", () => {
    expect(matchesLoggerName('', 'anything.at.all')).toBe(true);
  });
});

describe('moduleFilter', () => {
  it("moduleFilter({ exclude: 'auth' }) drops auth and auth.login but keeps authz, authentication, oauth", () => {
    const f = moduleFilter({ exclude: 'auth' });
    const kept = ['auth', 'auth.login', 'authz', 'authentication', 'oauth', 'database'].filter(
      (n) => f.transform(infoFor(n), f.options) !== false,
    );
    expect(kept).toEqual(['authz', 'authentication', 'oauth', 'database']);
  });

  it('moduleFilter({ include: [...] }) keeps only those subtrees', () => {
    const f = moduleFilter({ include: ['database', 'app.api'] });
    const kept = ['database', 'database.pool', 'app', 'app.api.v1', 'utils'].filter(
      (n) => f.transform(infoFor(n), f.options) !== false,
    );
    expect(kept).toEqual(['database', 'database.pool', 'app.api.v1']);
  });

  it('include then exclude', () => {
    const f = moduleFilter({ include: 'app', exclude: 'app.noisy' });
    expect(f.transform(infoFor('app.db'), f.options)).not.toBe(false);
    expect(f.transform(infoFor('app.noisy.x'), f.options)).toBe(false);
    expect(f.transform(infoFor('other'), f.options)).toBe(false);
  });

  it('reads info.logger, then info.label, then root on plain winston infos', () => {
    const f = moduleFilter({ exclude: ['auth', 'root'] });
    expect(f.transform({ level: 'info', message: 'x', logger: 'auth.login' }, f.options)).toBe(false);
    expect(f.transform({ level: 'info', message: 'x', label: 'auth' }, f.options)).toBe(false);
    expect(f.transform({ level: 'info', message: 'x' }, f.options)).toBe(false);
    expect(f.transform({ level: 'info', message: 'x', label: 'db' }, f.options)).not.toBe(false);
  });

  it.each([
    [{ exclude: 5 }, /moduleFilter\.exclude: 5 is not allowed/],
    [{ include: ['ok', 3] }, /moduleFilter\.include\[1\]: 3 is not allowed/],
    [{ excludes: 'auth' }, /moduleFilter\.excludes: unknown option; allowed: include, exclude/],
    [null, /moduleFilter: options null is not allowed/],
  ])('rejects bad options %p', (options, message) => {
    expect(() => moduleFilter(options as never)).toThrow(ConfigError);
    expect(() => moduleFilter(options as never)).toThrow(message);
  });
});

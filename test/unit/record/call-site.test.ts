import { UNKNOWN_CALL_SITE, assignCallSite } from '../../../src/record/call-site';
import type { CallSiteInfo } from '../../../src/record/call-site';

describe('assignCallSite(target, callSite)', () => {
  const site: CallSiteInfo = {
    pathname: '/srv/app/db.ts',
    filename: 'db.ts',
    module: 'db',
    lineno: 42,
    funcName: 'query',
  };

  it("copies the five fields onto the target under LogRecord's names, keeping the target's other keys", () => {
    const target: Record<string, unknown> = { name: 'app', lineno: null };
    assignCallSite(target, site);
    expect(target).toEqual({ name: 'app', ...site });
    expect(Object.keys(target)).toEqual(['name', 'lineno', 'pathname', 'filename', 'module', 'funcName']);
  });

  it('writes nothing when no call site was captured', () => {
    const target: Record<string, unknown> = { name: 'app' };
    assignCallSite(target, undefined);
    expect(target).toEqual({ name: 'app' });
  });

  it("copies Python's unknown caller as it is", () => {
    const target: Record<string, unknown> = {};
    assignCallSite(target, UNKNOWN_CALL_SITE);
    expect(target).toEqual({
      pathname: '(unknown file)',
      filename: '(unknown file)',
      module: 'Unknown module',
      lineno: 0,
      funcName: '(unknown function)',
    });
  });
});

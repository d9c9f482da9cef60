import { describeDifference, fuzzTree } from '../../helpers/fidelity/fuzz';

// CI slice of the logger-tree fuzz test: random programs (levels by number, name and bool, handlers
// with levels, propagation, disable(), addLevelName, log calls with good and bad arguments) through
// CPython's logging and through the bundle's tree in compatibility mode. Differences owned by the
// logger core are listed as 'pending core' in test/fixtures/fidelity/exclusions.json.
describe('differential fuzz: logger tree against CPython 3.11', () => {
  it('seed 20261202: 300 programs deliver the same records, stderr and errors as CPython', () => {
    const result = fuzzTree(20261202, 300);
    expect(result.differences.map(describeDifference)).toEqual([]);
    expect(result.cases - result.excluded).toBeGreaterThan(100);
  });
});

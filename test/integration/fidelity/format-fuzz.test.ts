import { describeDifference, fuzzFormats } from '../../helpers/fidelity/fuzz';

// The CI slice of the differential fuzz test (`npm run fuzz` runs 10,000 cases per area): random
// formatter cases (all three styles, every conversion and spec option, datefmt directives in ten
// zones, big integers, floats, non-BMP text) through python3 and through compilePythonFormat,
// compared exactly. A deliberate difference must be listed in test/fixtures/fidelity/exclusions.json.
describe('differential fuzz: formats against CPython 3.11', () => {
  it.each([20261202, 7])('seed %d: 1,000 cases render (or fail) exactly as CPython', (seed) => {
    const result = fuzzFormats(seed, 1000);
    expect(result.differences.map(describeDifference)).toEqual([]);
    expect(result.cases).toBe(1000);
  });
});

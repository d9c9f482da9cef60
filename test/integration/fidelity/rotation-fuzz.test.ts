import { describeDifference, fuzzRotation } from '../../helpers/fidelity/fuzz';

// CI slice of the rotation fuzz test: random sequences (record sizes in ASCII and multi-byte UTF-8,
// maxBytes, backupCount, mode, delay, existing files, restarts) through CPython's RotatingFileHandler
// (with the documented byte rule, see test/fixtures/fidelity/exclusions.json) and through
// RotatingFileTransport; every file's name and content must be identical.
describe('differential fuzz: rotation against CPython 3.11', () => {
  it('seed 20261202: 200 sequences leave the same files as CPython', () => {
    const result = fuzzRotation(20261202, 200);
    expect(result.differences.map(describeDifference)).toEqual([]);
    expect(result.cases).toBe(200);
  });
});

import { pyFormat } from '../../../../formats/python/brace-format';
import { PyFloat } from '../../../../formats/python/py-float';
import { PythonFormatError } from '../../../../formats/python/python-format-error';

// Expected strings: CPython 3.11.7 `format(value, spec)`.
describe('pyFormat(value, spec) (Python format mini-language)', () => {
  it.each([
    ['INFO', '^9', '  INFO   '],
    [42, '+05d', '+0042'],
    [1234567.891, ',.2f', '1,234,567.89'],
    [255, '#x', '0xff'],
    [10, '_b', '1010'],
    [0.25, '%', '25.000000%'],
    [0.125, '.1%', '12.5%'],
    [12345.678, '>+8.3e', '+1.235e+04'],
    [42, '<6', '42    '],
    ['ab', '*^7', '**ab***'],
    [42, '=+6d', '+   42'],
    [-3.14159, '08.2f', '-0003.14'],
    [1234567, ',', '1,234,567'],
    [1234567, '_', '1_234_567'],
    [255, 'X', 'FF'],
    [8, '#o', '0o10'],
    [65, 'c', 'A'],
    [1234, 'n', '1234'],
    [1.5, 'e', '1.500000e+00'],
    [1e-5, 'g', '1e-05'],
    [new PyFloat(1), '', '1.0'],
    [new PyFloat(123), '.3', '1.23e+02'],
    [new PyFloat(12), '.3', '12.0'],
    ['abc', '10', 'abc       '],
    [3.5, '<10', '3.5       '],
    ['abcdef', '.2', 'ab'],
    [true, '', 'True'],
    [true, 'd', '1'],
    [true, '>5', '    1'],
  ])('format(%p, %p)', (value, spec, expected) => {
    expect(pyFormat(value, spec)).toBe(expected);
  });

  it.each([
    [1.5, 'd', 'ValueError', "Unknown format code 'd' for object of type 'float'"],
    [1, 's', 'ValueError', "Unknown format code 's' for object of type 'int'"],
    ['x', 'd', 'ValueError', "Unknown format code 'd' for object of type 'str'"],
    ['x', '=5', 'ValueError', "'=' alignment not allowed in string format specifier"],
    ['x', '+', 'ValueError', 'Sign not allowed in string format specifier'],
    [3, '.2d', 'ValueError', 'Precision not allowed in integer format specifier'],
    [3, ',x', 'ValueError', "Cannot specify ',' with 'x'."],
    [null, '5', 'TypeError', 'unsupported format string passed to NoneType.__format__'],
    [[1], '5', 'TypeError', 'unsupported format string passed to list.__format__'],
  ])('format(%p, %p) raises %s', (value, spec, type, message) => {
    let err: unknown;
    try {
      pyFormat(value, spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PythonFormatError);
    expect([(err as PythonFormatError).pythonType, (err as PythonFormatError).pythonMessage]).toEqual([
      type,
      message,
    ]);
  });
});

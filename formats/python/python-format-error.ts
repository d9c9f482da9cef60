import { ConfigError } from '../../src/errors';

/** The Python exception type CPython raises for the same failure. */
export type PythonErrorType =
  'ValueError' | 'TypeError' | 'KeyError' | 'IndexError' | 'AttributeError' | 'OverflowError' | 'MemoryError';

/** Extra detail carried by a {@link PythonFormatError}. */
export interface PythonFormatErrorOptions {
  /** Offset (in code points, as Python counts) of the bad token in the format or message string. */
  readonly position?: number;
  /** Appended to the message after CPython's wording, e.g. which token is bad and where. */
  readonly detail?: string;
}

/**
 * A format string that CPython's `logging.Formatter` would reject. `phase: 'init'` errors are thrown by
 * `compilePythonFormat` (the Formatter constructor in Python); `phase: 'format'` errors are thrown by the
 * compiled function for one record (Python's `Formatter.format` raising), and callers that log must
 * catch them. `pythonMessage` is exactly `str(exception)` in CPython 3.11.
 */
export class PythonFormatError extends ConfigError {
  /** The Python exception class CPython raises here. */
  readonly pythonType: PythonErrorType;
  /** `'init'`: rejected when the format is compiled; `'format'`: failed while rendering one record. */
  readonly phase: 'init' | 'format';
  /** Offset of the bad token in the string it came from, when known. */
  readonly position?: number;
  /** CPython's `str(exception)` for the same failure. */
  readonly pythonMessage: string;

  constructor(
    pythonType: PythonErrorType,
    phase: 'init' | 'format',
    pythonMessage: string,
    options: PythonFormatErrorOptions = {},
  ) {
    super(options.detail === undefined ? pythonMessage : `${pythonMessage} (${options.detail})`);
    this.pythonType = pythonType;
    this.phase = phase;
    this.pythonMessage = pythonMessage;
    if (options.position !== undefined) this.position = options.position;
  }
}

/**
 * Thrown when options or configuration are invalid. It is only ever thrown at configuration time
 * (when a format, transport, logger or config is built), never while a record is being logged.
 *
 * @example
 * ```ts
 * try { new RotatingFileTransport({ filename: 'app.log', maxBytes: -1 }); }
 * catch (err) { if (err instanceof ConfigError) console.error(err.problems); }
 * ```
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError' as const;
  /** Every problem found, each naming the key path, the bad value and what is allowed. */
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.length === 1 ? (list[0] ?? '') : `${list.length} problems:\n  - ${list.join('\n  - ')}`);
    this.problems = list;
  }

  /** True for a ConfigError from any copy of this package (works across realms and duplicate installs). */
  static is(value: unknown): value is ConfigError {
    return (
      value instanceof Error && value.name === 'ConfigError' && Array.isArray((value as ConfigError).problems)
    );
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON where possible. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol' || value === undefined) return String(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

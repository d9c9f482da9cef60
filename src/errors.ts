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

/**
 * The allowed name closest to a misspelt one (`'colection'` → `'collection'`), for "did you mean"
 * hints; undefined when nothing is close (more than a third of the letters differ).
 */
export function closestName(name: string, allowed: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
        row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
      }
      prev = row;
    }
    return prev[b.length] ?? Infinity;
  };
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

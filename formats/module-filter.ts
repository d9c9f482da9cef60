import { format } from 'logform';
import type { Format, TransformableInfo } from 'logform';
import { ConfigError, describeValue } from '../src/errors';
import { loggerNameOf } from '../src/record/record';

/** Options for {@link moduleFilter}. Names follow Python's `logging.Filter(name)` rule. */
export interface ModuleFilterOptions {
  /**
   * Keep only records whose logger is one of these or a dotted descendant (`'auth'` keeps `auth` and
   * `auth.login`, never `authz`). `''` matches every logger. Omitted: every logger is included.
   */
  include?: string | readonly string[];
  /** Drop records whose logger is one of these or a dotted descendant. Applied after `include`. */
  exclude?: string | readonly string[];
}

/**
 * Python's `Filter(name)` test: `name` matches itself and its dotted descendants only.
 * `''` matches everything, like Python's `Filter('')`.
 */
export function matchesLoggerName(filterName: string, recordName: string): boolean {
  if (filterName === '' || filterName === recordName) return true;
  return (
    recordName.length > filterName.length &&
    recordName.charCodeAt(filterName.length) === 46 /* '.' */ &&
    recordName.startsWith(filterName)
  );
}

function normalise(value: unknown, key: 'include' | 'exclude'): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [value];
  if (!Array.isArray(value) && typeof value !== 'string') {
    throw new ConfigError(
      `moduleFilter.${key}: ${describeValue(value)} is not allowed; use a logger name or an array of names`,
    );
  }
  list.forEach((name, i) => {
    if (typeof name !== 'string') {
      throw new ConfigError(
        `moduleFilter.${key}[${i}]: ${describeValue(name)} is not allowed; use a logger name (string)`,
      );
    }
  });
  return list as string[];
}

/**
 * A logform format that keeps or drops records by logger name with Python's dotted-name rule. Use it
 * on a logger (`format: combine(moduleFilter(...), pythonFormat())`) or on a single transport. The
 * seed's `ExcludeAuthFilter` is `moduleFilter({ exclude: 'auth' })` — but with the proper prefix rule, so
 * `authz` and `oauth` are kept (Python's `startswith('auth')` would also drop `authz`).
 *
 * The logger name is the bundle's record name, else `info.logger`, else `info.label`, else `root`.
 *
 * @example new RotatingFileTransport({ filename: 'app.log', format: combine(moduleFilter({ exclude: 'auth' }), pythonFormat()) })
 */
export function moduleFilter(options: ModuleFilterOptions = {}): Format {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `moduleFilter: options ${describeValue(options)} is not allowed; use { include?, exclude? }`,
    );
  }
  for (const key of Object.keys(options)) {
    if (key !== 'include' && key !== 'exclude') {
      throw new ConfigError(`moduleFilter.${key}: unknown option; allowed: include, exclude`);
    }
  }
  const include = normalise(options.include, 'include');
  const exclude = normalise(options.exclude, 'exclude');
  const test = (names: readonly string[], name: string): boolean => {
    for (const n of names) if (matchesLoggerName(n, name)) return true;
    return false;
  };
  const transform = (info: TransformableInfo): TransformableInfo | false => {
    const name = loggerNameOf(info);
    if (include !== undefined && !test(include, name)) return false;
    if (exclude !== undefined && test(exclude, name)) return false;
    return info;
  };
  return format(transform)();
}

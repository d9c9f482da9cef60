/** How winston-daily-rotate-file expresses one of CPython's `when`/`interval` pairs. */
export interface DailyRotatePattern {
  /** file-stream-rotator's `frequency`: `'custom'` (rotate when the date text changes), `'<n>m'` or `'<n>h'`. */
  frequency: string;
  /** moment.js pattern; the same text CPython puts in its backup suffix for that `when`. */
  datePattern: string;
}

// CPython's suffixes (%Y-%m-%d_%H-%M-%S …) spelled in moment.js, so dated files carry the names CPython
// gives its backups.
const PATTERNS: Readonly<Record<string, string>> = {
  S: 'YYYY-MM-DD_HH-mm-ss',
  M: 'YYYY-MM-DD_HH-mm',
  H: 'YYYY-MM-DD_HH',
  D: 'YYYY-MM-DD',
  MIDNIGHT: 'YYYY-MM-DD',
};

// file-stream-rotator floors the minute (hour) to a multiple of n; only divisors of 60 (24) give equal
// intervals, anything else leaves a short last interval in every hour (day).
const MINUTE_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
const HOUR_STEPS = [1, 2, 3, 4, 6, 8, 12];

/** Why a `when`/`interval` pair cannot be expressed: the option at fault and what is allowed. */
export interface DailyRotatePatternProblem {
  key: 'when' | 'interval';
  allowed: string;
}

/**
 * Maps an upper-cased `when` and an `interval` to winston-daily-rotate-file's `frequency`/`datePattern`,
 * or says which option it cannot express and what is allowed instead.
 */
export function dailyRotatePattern(
  when: string,
  interval: number,
): DailyRotatePattern | DailyRotatePatternProblem {
  const datePattern = PATTERNS[when];
  if (datePattern === undefined) {
    return {
      key: 'when',
      allowed:
        "in layout 'dated' expected 'S', 'M', 'H', 'D' or 'midnight' (winston-daily-rotate-file has no weekly rotation)",
    };
  }
  if (interval === 1) return { frequency: 'custom', datePattern };
  if (when === 'M' && MINUTE_STEPS.includes(interval)) return { frequency: `${interval}m`, datePattern };
  if (when === 'H' && HOUR_STEPS.includes(interval)) return { frequency: `${interval}h`, datePattern };
  const steps = when === 'M' ? MINUTE_STEPS.join(', ') : when === 'H' ? HOUR_STEPS.join(', ') : '1';
  return {
    key: 'interval',
    allowed: `in layout 'dated' with when '${when === 'MIDNIGHT' ? 'midnight' : when}' expected ${steps} (winston-daily-rotate-file rotates on clock-aligned steps)`,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The date text file-stream-rotator (winston-daily-rotate-file's engine) puts in the name of the file
 * that holds time `ms`: the `datePattern` (one of the moment.js patterns above) of local or UTC time,
 * with the minute (`'<n>m'`) or hour (`'<n>h'`) floored to a multiple of n, as its `getDate()` does.
 */
export function datedStamp(pattern: DailyRotatePattern, ms: number, utc: boolean): string {
  const d = new Date(ms);
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const month = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  let hour = utc ? d.getUTCHours() : d.getHours();
  let minute = utc ? d.getUTCMinutes() : d.getMinutes();
  const second = utc ? d.getUTCSeconds() : d.getSeconds();
  const step = /^(\d+)([mh])$/.exec(pattern.frequency);
  if (step !== null) {
    const n = Number(step[1]);
    if (step[2] === 'm') minute = Math.floor(minute / n) * n;
    else hour = Math.floor(hour / n) * n;
  }
  return pattern.datePattern.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => {
    switch (token) {
      case 'YYYY':
        return pad(year, 4);
      case 'MM':
        return pad(month);
      case 'DD':
        return pad(day);
      case 'HH':
        return pad(hour);
      case 'mm':
        return pad(minute);
      default:
        return pad(second);
    }
  });
}

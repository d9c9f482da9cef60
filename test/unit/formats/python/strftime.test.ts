import { brokenDownTime, compileStrftime } from '../../../../formats/python/strftime';

// Expected strings: CPython 3.11.7 `time.strftime(fmt, time.gmtime(t))` on glibc (Linux).
describe('compileStrftime (glibc strftime in the C locale)', () => {
  it.each([
    ['%Y-%m-%d %H:%M:%S', 1700000000, '2023-11-14 22:13:20'],
    [
      '%a %A %b %B %h %p %I %j %U %W %w %u %V %G %g',
      1700000000,
      'Tue Tuesday Nov November Nov PM 10 318 46 46 2 2 46 2023 23',
    ],
    [
      '%c|%x|%X|%D|%F|%T|%R|%r|%e|%k|%l|%P|%s|%C|%y|%%|%n|%t',
      1700000000,
      'Tue Nov 14 22:13:20 2023|11/14/23|22:13:20|11/14/23|2023-11-14|22:13:20|22:13|10:13:20 PM|14|22|10|pm|1700000000|20|23|%|\n|\t',
    ],
    [
      '%5a|%05a|%_5d|%-5d|%010Y|%#a|%#p|%^p|%5%|%_m|%-y|%^B|%#B|%#Z|%3C|%_3m|%04e|%-e|%12s|%012s',
      1700000000,
      '  Tue|00Tue|   14|   14|0000002023|TUE|pm|PM|    %|11|23|NOVEMBER|NOVEMBER|gmt|020| 11|0014|14|  1700000000|001700000000',
    ],
    ['%q|%5q|%-q|%Ei|%Ey|%Od|%:z|%f|%N|%', 1700000000, '%q|  %5q|%-q|%Ei|23|14|%:z|%f|%N|%'],
    ['%I %p|%I %p', 0, '12 AM|12 AM'],
    ['%I %p %l %k', 43200, '12 PM 12 12'],
    ['%G-%V %U %W %j', 1735603200, '2025-01 52 53 366'],
    ['%G-%V %U %W', 1704067199, '2023-52 53 52'],
    ['%Y %j %a %V %G', 951782400, '2000 060 Tue 09 2000'],
    ['%Y-%m-%d %H:%M:%S %s', -1, '1969-12-31 23:59:59 -1'],
    ['%G %V %g %U %W', 1609459200, '2020 53 20 00 00'],
    ['%Z %z', 1700000000, 'GMT +0000'],
    ['', 1700000000, ''],
    ['static', 1700000000, 'static'],
  ])('%p at %p', (fmt, t, expected) => {
    expect(compileStrftime(fmt)(brokenDownTime(t, true))).toBe(expected);
  });

  it('floors fractional seconds like time.gmtime', () => {
    expect(compileStrftime('%H:%M:%S')(brokenDownTime(-1.5, true))).toBe('23:59:58');
    expect(compileStrftime('%H:%M:%S')(brokenDownTime(1700000000.999, true))).toBe('22:13:20');
  });

  it('local time follows the process time zone', () => {
    // Compare against the JS Date view of the same instant in whatever TZ the suite runs in.
    const d = new Date(1700000000 * 1000);
    const offset = -d.getTimezoneOffset();
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const z = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
    expect(compileStrftime('%H %z')(brokenDownTime(1700000000, false))).toBe(
      `${String(d.getHours()).padStart(2, '0')} ${z}`,
    );
  });
});

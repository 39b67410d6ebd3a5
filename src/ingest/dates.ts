/**
 * Dates as sources write them: RFC 822 (RSS), RFC 3339 (Atom, JSON Feed) and Vietnamese page
 * dates ("Thứ sáu - 04/08/2017 15:20", day before month). A date without an offset is in
 * Asia/Ho_Chi_Minh (UTC+7, no daylight saving). An unreadable date gives undefined, never a throw.
 */
const VIETNAM_OFFSET = '+07:00';

export function parseFeedDate(value: string | undefined | null): Date | undefined {
  const s = (value ?? '').trim();
  if (!s) return undefined;
  const vietnamese = parseVietnameseDate(s);
  if (vietnamese) return vietnamese;
  // ISO 8601 without an offset is local time in Viet Nam, not UTC
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(s);
  if (iso) return valid(new Date(`${iso[1]}T${iso[2] ?? '00:00'}${VIETNAM_OFFSET}`));
  // RFC 822 without a zone gets the Vietnamese offset too
  const rfc822NoZone = /^(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?$/.test(s);
  return valid(new Date(rfc822NoZone ? `${s} +0700` : s));
}

/** "Thứ sáu - 04/08/2017 15:20", "04/08/2017 15:20", "4/8/2017", "15h20 ngày 4/8/2017". */
export function parseVietnameseDate(s: string): Date | undefined {
  const m = /(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\D+?(\d{1,2})[:h](\d{2}))?/.exec(s);
  const timeFirst = /(\d{1,2})[:h](\d{2})\D+?(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(s);
  let day: string, month: string, year: string, hour = '0', minute = '0';
  if (timeFirst && (!m || timeFirst.index < m.index)) {
    [, hour, minute, day, month, year] = timeFirst as unknown as string[] as [string, string, string, string, string, string];
  } else if (m) {
    [, day, month, year] = m as unknown as [string, string, string, string];
    hour = m[4] ?? '0';
    minute = m[5] ?? '0';
  } else {
    return undefined;
  }
  const [d, mo, y, h, mi] = [day, month, year, hour, minute].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
  // reject 31/02 and the like, which Date would roll over into the next month
  const local = new Date(date.getTime() + 7 * 3600_000);
  if (local.getUTCDate() !== d || local.getUTCMonth() !== mo - 1) return undefined;
  return date;
}

function valid(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}

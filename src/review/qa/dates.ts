/**
 * Dates and times: each date of the source is in the translation with the same day, month and
 * (when both give one) year — Vietnamese puts the day first, so "10/9/2008" is 10 September — and
 * each time of day is the same ("15h20" ↔ "3:20 p.m." or "15:20"). Checked for the languages
 * whose dates we read (languages.ts); times for every language.
 */
import { readsLanguage } from './scan-target.ts';
import type { DateMention } from './mentions.ts';
import { scansOf } from './scans.ts';
import { span, type Check, type QaIssue } from './types.ts';

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const describe = (d: DateMention) => [d.day, d.month ? monthNames[d.month - 1] : undefined, d.year].filter((x) => x !== undefined).join(' ');
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const datesCheck: Check = (p) => {
  if (p.targetLang === 'vi') return [];
  const { source, target } = scansOf(p);
  const issues: QaIssue[] = [];
  const srcSpan = (d: { start: number; end: number }) => span(p.source.plain, d.start, d.end);
  const tgtSpan = (d: { start: number; end: number }) => span(p.target.plain, d.start, d.end);
  const targetYears = new Set([...target.dates.map((d) => d.year), ...target.quantities.map((q) => q.value)]);

  if (readsLanguage(p.targetLang)) {
    for (const d of source.dates) {
      const sameMonth = target.dates.filter((t) => t.month === d.month && (d.day === undefined || t.day === d.day));
      const exact = sameMonth.find((t) => d.year === undefined || t.year === undefined || t.year === d.year);
      if (!exact) {
        const wrongYear = sameMonth[0];
        const swapped = d.day !== undefined && target.dates.find((t) => t.day === d.month && t.month === d.day);
        const message = wrongYear
          ? `the source's ${d.text} is ${describe(d)}; the translation gives the year ${wrongYear.year}`
          : swapped
            ? `the source's ${d.text} is ${describe(d)} (day first); the translation has ${swapped.text}, which swaps day and month`
            : `the source's ${d.text} (${describe(d)}) is not in the translation`;
        const t = wrongYear ?? (swapped || undefined);
        const code = wrongYear ? 'dates.wrongYear' : swapped ? 'dates.swapped' : 'dates.missing';
        const params = { source: d.text, date: describe(d), year: wrongYear?.year ?? '', target: swapped ? swapped.text : '' };
        issues.push({ check: 'dates', severity: 'error', code, params, message, source: srcSpan(d), ...(t ? { target: tgtSpan(t) } : {}) });
        continue;
      }
      if (d.year !== undefined && exact.year === undefined && !targetYears.has(d.year)) {
        issues.push({ check: 'dates', severity: 'warning', code: 'dates.yearMissing', params: { year: d.year, source: d.text }, message: `the year ${d.year} of the source's ${d.text} is not in the translation`, source: srcSpan(d), target: tgtSpan(exact) });
      }
    }
    // a date the source does not have (a range is reported once)
    const extraAt = new Set<number>();
    for (const t of target.dates) {
      const known = source.dates.some((d) => d.month === t.month && (t.day === undefined || d.day === undefined || d.day === t.day));
      if (!known && extraAt.has(t.start)) continue;
      extraAt.add(t.start);
      if (!known) issues.push({ check: 'dates', severity: 'warning', code: 'dates.extra', params: { target: t.text }, message: `the translation's ${t.text} is not a date of the source`, target: tgtSpan(t) });
      else if (t.numeric && t.day !== undefined && t.month !== undefined && t.day <= 12 && t.day !== t.month && p.targetLang === 'en') {
        issues.push({ check: 'dates', severity: 'warning', code: 'dates.ambiguous', params: { target: t.text, reading: `${monthNames[t.day - 1]} ${t.month}` }, message: `"${t.text}" reads as ${monthNames[t.day - 1]} ${t.month} to American readers; write the month as a word`, target: tgtSpan(t) });
      }
    }
  }

  for (const s of source.times) {
    if (target.times.some((t) => t.minutes === s.minutes)) continue;
    const twelve = target.times.find((t) => t.twelveHourAmbiguous && (t.minutes + 720) % 1440 === s.minutes);
    if (twelve) {
      issues.push({ check: 'dates', severity: 'warning', code: 'dates.twelveHour', params: { source: s.text, time: hhmm(s.minutes), target: twelve.text }, message: `the source's ${s.text} is ${hhmm(s.minutes)}; "${twelve.text}" needs "p.m." or the 24-hour form`, source: srcSpan(s), target: tgtSpan(twelve) });
      continue;
    }
    const wrong = target.times.length === 1 ? target.times[0] : undefined;
    issues.push({
      check: 'dates', severity: 'error',
      code: wrong ? 'dates.wrongTime' : 'dates.timeMissing', params: { source: s.text, time: hhmm(s.minutes), target: wrong?.text ?? '', targetTime: wrong ? hhmm(wrong.minutes) : '' },
      message: wrong ? `the source's ${s.text} is ${hhmm(s.minutes)}; the translation has ${wrong.text} (${hhmm(wrong.minutes)})` : `the time ${s.text} (${hhmm(s.minutes)}) of the source is not in the translation`,
      source: srcSpan(s), ...(wrong ? { target: tgtSpan(wrong) } : {}),
    });
  }
  return issues;
};

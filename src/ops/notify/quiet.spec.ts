import { expect } from 'chai';
import { afterQuietHours, isQuiet, minutesOfDay, releaseTime } from './quiet.ts';

const hcm = 'Asia/Ho_Chi_Minh'; // UTC+7, no summer time
const night = { start: 22 * 60, end: 7 * 60 };

describe('quiet hours and digests', () => {
  it('reads the local time of day in the person\'s time zone', () => {
    expect(minutesOfDay(new Date('2026-12-02T15:30:00Z'), hcm)).to.equal(22 * 60 + 30);
    expect(minutesOfDay(new Date('2026-12-02T15:30:00Z'), 'Europe/Paris')).to.equal(16 * 60 + 30);
  });

  it('a window may run past midnight', () => {
    expect(isQuiet(23 * 60, night)).to.equal(true);
    expect(isQuiet(3 * 60, night)).to.equal(true);
    expect(isQuiet(7 * 60, night)).to.equal(false);
    expect(isQuiet(12 * 60, { start: 12 * 60, end: 13 * 60 })).to.equal(true);
    expect(isQuiet(13 * 60, { start: 12 * 60, end: 13 * 60 })).to.equal(false);
  });

  it('a message at 22:30 in Hà Nội waits until 07:00 there; one at noon goes at once', () => {
    expect(afterQuietHours(new Date('2026-12-02T15:30:00Z'), hcm, night).toISOString()).to.equal('2026-12-03T00:00:00.000Z');
    const noon = new Date('2026-12-02T05:00:00Z');
    expect(afterQuietHours(noon, hcm, night)).to.equal(noon);
    expect(afterQuietHours(noon, hcm, null)).to.equal(noon);
  });

  it('a digest goes at the next digest hour, itself moved out of quiet hours', () => {
    // 10:00 local → next 08:00 local is tomorrow 01:00Z
    expect(releaseTime(new Date('2026-12-02T03:00:00Z'), { timeZone: hcm, quiet: null, digestHour: 8 }).toISOString()).to.equal('2026-12-03T01:00:00.000Z');
    // a digest hour of 06:00 inside quiet hours until 07:00 goes at 07:00
    expect(releaseTime(new Date('2026-12-02T03:00:00Z'), { timeZone: hcm, quiet: night, digestHour: 6 }).toISOString()).to.equal('2026-12-03T00:00:00.000Z');
  });
});

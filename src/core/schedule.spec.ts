import { expect } from 'chai';
import { isValidCron, monthsBetween, monthStart, nextRun } from './schedule.ts';

describe('the schedule evaluator', () => {
  it('finds the next run strictly after the instant, to the second, in the zone given', () => {
    const at = new Date('2026-11-27T05:00:00Z'); // 12:00 in Hanoi, 06:00 in Paris
    expect(nextRun('0 12 * * *', at, 'Asia/Ho_Chi_Minh').toISOString()).to.equal('2026-11-28T05:00:00.000Z');
    expect(nextRun('0 7 * * *', at, 'Europe/Paris').toISOString()).to.equal('2026-11-27T06:00:00.000Z');
    expect(nextRun('*/20 * * * * *', at, 'UTC').toISOString()).to.equal('2026-11-27T05:00:20.000Z');
  });

  it('says when an expression never fires or does not parse', () => {
    expect(() => nextRun('0 0 30 2 *', new Date('2026-01-01T00:00:00Z'), 'UTC')).to.throw(/never fires within a year/);
    expect(isValidCron('*/5 * * * *')).to.equal(true);
    expect(isValidCron('often')).to.equal(false);
    expect(isValidCron('0 0 8 * * * *')).to.equal(false);
  });
});

describe('the months of a range in a zone', () => {
  it('names each month the range touches with its first instant in the zone', () => {
    const months = monthsBetween(new Date('2026-01-15T00:00:00Z'), new Date('2026-03-31T17:00:00Z'), 'Asia/Ho_Chi_Minh');
    expect(months.map((m) => [m.key, m.start.toISOString()])).to.deep.equal([
      ['2026-01', '2025-12-31T17:00:00.000Z'], ['2026-02', '2026-01-31T17:00:00.000Z'], ['2026-03', '2026-02-28T17:00:00.000Z'],
    ]);
    // an instant that is still the last day of a month in UTC is already the next month in Hanoi
    expect(monthsBetween(new Date('2026-04-30T18:00:00Z'), new Date('2026-05-02T00:00:00Z'), 'Asia/Ho_Chi_Minh').map((m) => m.key)).to.deep.equal(['2026-05']);
    // a month starts at local midnight across a daylight-saving change
    expect(monthsBetween(new Date('2026-03-15T00:00:00Z'), new Date('2026-04-15T00:00:00Z'), 'Europe/Paris').map((m) => m.start.toISOString()))
      .to.deep.equal(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
  });

  it('goes back whole months from an instant, across a year and in the zone\'s own calendar', () => {
    // 30 April 18:00 UTC is already 1 May in Hanoi
    expect(monthStart(new Date('2026-04-30T18:00:00Z'), 'Asia/Ho_Chi_Minh').toISOString()).to.equal('2026-04-30T17:00:00.000Z');
    expect(monthStart(new Date('2026-04-30T18:00:00Z'), 'UTC').toISOString()).to.equal('2026-04-01T00:00:00.000Z');
    expect(monthStart(new Date('2026-02-10T12:00:00Z'), 'Asia/Ho_Chi_Minh', 11).toISOString()).to.equal('2025-02-28T17:00:00.000Z');
    expect(monthStart(new Date('2026-04-15T00:00:00Z'), 'Europe/Paris', 1).toISOString()).to.equal('2026-02-28T23:00:00.000Z');
  });
});

import { expect } from 'chai';
import { isValidCron, nextRun } from './schedule.ts';

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

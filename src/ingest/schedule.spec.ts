import { expect } from 'chai';
import { backoffUntil, nextRun } from './schedule.ts';

describe('ingest schedule', () => {
  const at = new Date('2026-11-27T05:02:30Z'); // 12:02:30 in Ha Noi
  it('finds the next match of a cron expression in Viet Nam time', () => {
    expect(nextRun('*/5 * * * *', at).toISOString()).to.equal('2026-11-27T05:05:00.000Z');
    expect(nextRun('0 7 * * *', at).toISOString()).to.equal('2026-11-28T00:00:00.000Z');
    // Saturday 28 Nov is skipped for a weekday schedule: Monday 30 Nov 07:00 local
    expect(nextRun('0 7 * * 1-5', new Date('2026-11-27T01:00:00Z')).toISOString()).to.equal('2026-11-30T00:00:00.000Z');
    expect(nextRun('*/20 * * * * *', at).toISOString()).to.equal('2026-11-27T05:02:40.000Z');
  });
  it('backs off exponentially, capped, and honours a longer Retry-After', () => {
    expect(backoffUntil(at, 1).getTime() - at.getTime()).to.equal(60_000);
    expect(backoffUntil(at, 4).getTime() - at.getTime()).to.equal(8 * 60_000);
    expect(backoffUntil(at, 40).getTime() - at.getTime()).to.equal(6 * 3600_000);
    expect(backoffUntil(at, 1, 600).getTime() - at.getTime()).to.equal(600_000);
  });
});

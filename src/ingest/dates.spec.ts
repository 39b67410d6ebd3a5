import { expect } from 'chai';
import { parseFeedDate } from './dates.ts';

describe('ingest dates', () => {
  it('reads offsets, and Ha Noi time when there is none', () => {
    expect(parseFeedDate('Fri, 04 Aug 2017 15:20:00 +0700')?.toISOString()).to.equal('2017-08-04T08:20:00.000Z');
    expect(parseFeedDate('2026-11-27T08:00:00+01:00')?.toISOString()).to.equal('2026-11-27T07:00:00.000Z');
    expect(parseFeedDate('2026-11-27 08:00')?.toISOString()).to.equal('2026-11-27T01:00:00.000Z');
    expect(parseFeedDate('Fri, 27 Nov 2026 08:00:00')?.toISOString()).to.equal('2026-11-27T01:00:00.000Z');
  });
  it('reads Vietnamese page dates, day before month', () => {
    expect(parseFeedDate('Thứ sáu - 04/08/2017 15:20')?.toISOString()).to.equal('2017-08-04T08:20:00.000Z');
    expect(parseFeedDate('15h20 ngày 4/8/2017')?.toISOString()).to.equal('2017-08-04T08:20:00.000Z');
  });
  it('gives undefined for dates that do not exist', () => {
    expect(parseFeedDate('31/02/2026')).to.equal(undefined);
    expect(parseFeedDate('32/13/2026 25:61')).to.equal(undefined);
    expect(parseFeedDate('hôm qua')).to.equal(undefined);
  });
});

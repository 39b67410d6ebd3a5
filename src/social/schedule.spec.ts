import { expect } from 'chai';
import { occurrences, parseCron } from '../core/schedule.ts';
import { catchUp, nextFreeSlot, parseWindow, windowsFrom, type WindowPlan } from './schedule.ts';

const paris: WindowPlan = { windows: ['0 8 * * *', '30 12 * * *', '0 19 * * *'], timeZone: 'Europe/Paris', maxPostsPerWindow: 2, spacingMinutes: 10 };
const iso = (d: Date) => d.toISOString();
const take = <T>(it: Iterator<T>, n: number) => Array.from({ length: n }, () => it.next().value as T);

describe('posting windows in the audience time zone', () => {
  it('places 08:00, 12:30 and 19:00 Paris at the right UTC instants in winter and summer', () => {
    expect(take(windowsFrom(paris, new Date('2026-01-15T00:00:00Z')), 3).map(iso))
      .to.deep.equal(['2026-01-15T07:00:00.000Z', '2026-01-15T11:30:00.000Z', '2026-01-15T18:00:00.000Z']);
    expect(take(windowsFrom(paris, new Date('2026-07-15T00:00:00Z')), 3).map(iso))
      .to.deep.equal(['2026-07-15T06:00:00.000Z', '2026-07-15T10:30:00.000Z', '2026-07-15T17:00:00.000Z']);
  });

  it('crosses the spring DST change in Paris (29 March 2026)', () => {
    expect(take(windowsFrom(paris, new Date('2026-03-28T17:00:00Z')), 3).map(iso))
      .to.deep.equal(['2026-03-28T18:00:00.000Z', '2026-03-29T06:00:00.000Z', '2026-03-29T10:30:00.000Z']);
  });

  it('moves a window that falls in the DST gap forward, and takes a repeated hour once', () => {
    const gap = take(occurrences(parseCron('30 2 * * *'), new Date('2026-03-29T00:00:00Z'), 'Europe/Paris'), 1);
    expect(iso(gap[0]!)).to.equal('2026-03-29T01:30:00.000Z'); // 03:30 CEST: 02:30 does not exist
    const repeat = take(occurrences(parseCron('30 2 * * *'), new Date('2026-10-25T00:00:00Z'), 'Europe/Paris'), 2);
    expect(repeat.map(iso)).to.deep.equal(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('computes windows in zones without DST and across the date line', () => {
    const tokyo = { ...paris, windows: ['0 7 * * 1-5'], timeZone: 'Asia/Tokyo' };
    // Friday 27 Nov 2026 23:00 UTC is Saturday 08:00 in Tokyo: next weekday 07:00 is Monday
    expect(iso(take(windowsFrom(tokyo, new Date('2026-11-27T23:00:00Z')), 1)[0]!)).to.equal('2026-11-29T22:00:00.000Z');
    const hanoi = { ...paris, windows: ['0 20 * * *'], timeZone: 'Asia/Ho_Chi_Minh' };
    expect(iso(take(windowsFrom(hanoi, new Date('2026-11-27T12:59:00Z')), 1)[0]!)).to.equal('2026-11-27T13:00:00.000Z');
  });

  it('reads names, steps, lists and a six-field expression with zero seconds', () => {
    const s = parseCron('0 0 9-17/4 * jan,jul mon-fri');
    expect([...s.hours]).to.deep.equal([9, 13, 17]);
    expect([...s.months]).to.deep.equal([1, 7]);
    expect([...s.weekdays]).to.deep.equal([1, 2, 3, 4, 5]);
    expect(() => parseWindow('30 0 8 * * *')).to.throw(/seconds field must be 0/);
    expect([...parseWindow('0 0 8 * * *').hours]).to.deep.equal([8]);
    expect(() => parseCron('0 25 * * *')).to.throw(/out of range/);
  });
});

describe('the next free slot', () => {
  const now = new Date('2026-01-15T09:00:00Z'); // 10:00 in Paris

  it('takes the next window with room, spacing posts within a window', () => {
    const first = nextFreeSlot(paris, now, new Map());
    expect(iso(first.windowAt!)).to.equal('2026-01-15T11:30:00.000Z');
    expect(iso(first.scheduledAt)).to.equal('2026-01-15T11:30:00.000Z');
    const second = nextFreeSlot(paris, now, new Map([[first.windowAt!.getTime(), 1]]));
    expect(iso(second.scheduledAt)).to.equal('2026-01-15T11:40:00.000Z');
  });

  it('moves to the following window when one is full', () => {
    const full = new Map([[Date.parse('2026-01-15T11:30:00Z'), 2], [Date.parse('2026-01-15T18:00:00Z'), 2]]);
    expect(iso(nextFreeSlot(paris, now, full).windowAt!)).to.equal('2026-01-16T07:00:00.000Z');
  });

  it('gives a priority story no window: it goes at once', () => {
    const slot = nextFreeSlot(paris, now, new Map(), { priority: true });
    expect(slot.windowAt).to.equal(null);
    expect(slot.scheduledAt).to.equal(now);
  });
});

describe('catch-up after the service was down', () => {
  const post = { scheduledAt: new Date('2026-01-15T07:00:00Z'), windowAt: new Date('2026-01-15T07:00:00Z'), attempts: 0 };
  const late = new Date('2026-01-15T09:00:00Z');

  it('posts late, moves or skips a missed window post as configured', () => {
    expect(catchUp(post, late, 'post_late', 30)).to.equal('send');
    expect(catchUp(post, late, 'next_window', 30)).to.equal('next_window');
    expect(catchUp(post, late, 'skip', 30)).to.equal('skip');
  });

  it('sends within the grace, and always sends retries and posts placed by hand', () => {
    expect(catchUp(post, new Date('2026-01-15T07:20:00Z'), 'skip', 30)).to.equal('send');
    expect(catchUp({ ...post, attempts: 1 }, late, 'skip', 30)).to.equal('send');
    expect(catchUp({ ...post, windowAt: null }, late, 'skip', 30)).to.equal('send');
  });
});

import { expect } from 'chai';
import { backoffDelay } from './backoff.ts';

describe('the backoff', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('doubles from the base after each failure and stops at the ceiling', () => {
    expect([1, 2, 3, 4, 7, 50].map((n) => backoffDelay(policy, n))).to.deep.equal([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('spreads the wait by the jitter, both ways', () => {
    const jittered = { ...policy, jitter: 0.25 };
    expect(backoffDelay(jittered, 3, undefined, () => 0)).to.equal(3000);
    expect(backoffDelay(jittered, 3, undefined, () => 1)).to.equal(5000);
    expect(backoffDelay(jittered, 3, undefined, () => 0.5)).to.equal(4000);
  });

  it('never waits less than Retry-After, and caps what a Retry-After may ask', () => {
    expect(backoffDelay(policy, 1, 30_000)).to.equal(30_000);
    expect(backoffDelay(policy, 1, 500)).to.equal(1000);
    expect(backoffDelay({ ...policy, maxRetryAfterMs: 10_000 }, 1, 3_600_000)).to.equal(10_000);
  });
});

import { expect } from 'chai';
import { batchTexts, formBytes, Limiter, REQUEST_LIMITS } from './batching.ts';

describe('batching', () => {
  it('keeps everything in one request while no limit is reached', () => {
    expect(batchTexts(Array.from({ length: 50 }, (_, i) => `đoạn ${i}`), 100)).to.have.length(1);
  });

  it('splits at 50 texts', () => {
    const batches = batchTexts(Array.from({ length: 120 }, () => 'x'), 0);
    expect(batches.map((b) => b.length)).to.deep.equal([50, 50, 20]);
    expect(batches.flat()).to.deep.equal(Array.from({ length: 120 }, (_, i) => i));
  });

  it('splits by encoded body size, counting the context', () => {
    const big = 'ệ'.repeat(5000); // 9 bytes encoded per character
    const batches = batchTexts([big, big, big, big], 20_000);
    for (const b of batches) {
      const bytes = b.reduce((s, i) => s + formBytes([big, big, big, big][i]!), 0) + 20_000;
      expect(bytes).to.be.below(REQUEST_LIMITS.maxBodyBytes);
    }
    expect(batches.length).to.be.greaterThan(1);
  });

  it('refuses a single segment no request can carry', () => {
    expect(() => batchTexts(['a'.repeat(140 * 1024)], 0)).to.throw(RangeError);
  });

  it('never runs more than its limit at once', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 10 }, () => limiter.run(async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    })));
    expect(peak).to.equal(3);
  });
});

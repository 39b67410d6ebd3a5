import { expect } from 'chai';
import { batchTexts, formBytes, Limiter } from './batching.ts';
import { DEEPL_LIMITS } from './providers/deepl.ts';

describe('batching', () => {
  it('keeps everything in one request while no limit is reached', () => {
    expect(batchTexts(Array.from({ length: 50 }, (_, i) => `đoạn ${i}`), 'x'.repeat(100), DEEPL_LIMITS)).to.have.length(1);
  });

  it('splits at 50 texts', () => {
    const batches = batchTexts(Array.from({ length: 120 }, () => 'x'), '', DEEPL_LIMITS);
    expect(batches.map((b) => b.length)).to.deep.equal([50, 50, 20]);
    expect(batches.flat()).to.deep.equal(Array.from({ length: 120 }, (_, i) => i));
  });

  it('splits by encoded body size, counting the context', () => {
    const big = 'ệ'.repeat(5000); // 9 bytes encoded per character
    const context = 'a'.repeat(20_000);
    const batches = batchTexts([big, big, big, big], context, DEEPL_LIMITS);
    for (const b of batches) {
      const bytes = b.reduce((s, i) => s + formBytes([big, big, big, big][i]!), 0) + formBytes(context);
      expect(bytes).to.be.below(128 * 1024);
    }
    expect(batches.length).to.be.greaterThan(1);
  });

  it('refuses a single segment no request can carry', () => {
    expect(() => batchTexts(['a'.repeat(140 * 1024)], '', DEEPL_LIMITS)).to.throw(RangeError);
    expect(() => batchTexts(['a'.repeat(30_001)], '')).to.throw(RangeError);
  });

  it('measures with the provider\'s own unit: code points, 30,000 a request, context not sent', () => {
    const batches = batchTexts(['ệ'.repeat(20_000), 'ệ'.repeat(20_000), 'x'], 'c'.repeat(29_000));
    expect(batches).to.deep.equal([[0], [1, 2]]);
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

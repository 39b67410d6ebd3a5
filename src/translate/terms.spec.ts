import { expect } from 'chai';
import { retryDelay } from './failures.ts';
import { missingTerms, protectTerms, termsHash } from './terms.ts';

const terms = [
  { source: 'Bộ Ngoại giao', target: 'Ministry of Foreign Affairs', variants: ['Foreign Ministry'] },
  { source: 'Bộ', target: 'Ministry', variants: [] },
];

describe('required terms', () => {
  it('protects the longest term first and never inside a word', () => {
    expect(protectTerms('Bộ Ngoại giao và Bộ, Bột', terms)).to.equal('⸨Ministry of Foreign Affairs⸩ và ⸨Ministry⸩, Bột');
  });

  it('reports a term whose rendering and variants are all missing', () => {
    expect(missingTerms('Bộ Ngoại giao nói', 'The Foreign Ministry said', terms.slice(0, 1))).to.deep.equal([]);
    expect(missingTerms('Bộ Ngoại giao nói', 'The ministry said', terms.slice(0, 1)).map((t) => t.source)).to.deep.equal(['Bộ Ngoại giao']);
    expect(missingTerms('Không có', 'Nothing', terms)).to.deep.equal([]);
  });

  it('hashes terms independently of their order', () => {
    expect(termsHash(terms)).to.equal(termsHash([...terms].reverse()));
    expect(termsHash(terms)).not.to.equal(termsHash(terms.slice(1)));
  });
});

describe('retry delays', () => {
  const policy = { baseDelayMs: 100, maxAttempts: 5, quotaCheckMs: 1000 };
  it('doubles from the base, within the jitter', () => {
    expect(retryDelay(policy, 1, undefined, () => 0.5)).to.equal(100);
    expect(retryDelay(policy, 3, undefined, () => 0.5)).to.equal(400);
    expect(retryDelay(policy, 3, undefined, () => 0)).to.equal(300);
    expect(retryDelay(policy, 3, undefined, () => 1)).to.equal(500);
  });
  it('never waits less than Retry-After', () => {
    expect(retryDelay(policy, 1, 2000, () => 0.5)).to.equal(2000);
  });
});

import { expect } from 'chai';
import { rememberRecent } from './recent.ts';

describe('remembering recent answers of a pure function of a text', () => {
  it('computes each text once however often it is asked', () => {
    const asked: string[] = [];
    const words = rememberRecent((text) => { asked.push(text); return text.split(' '); }, (w) => w.slice());
    expect(words('a b')).to.deep.equal(['a', 'b']);
    expect(words('a b')).to.deep.equal(['a', 'b']);
    expect(words('c')).to.deep.equal(['c']);
    expect(asked).to.deep.equal(['a b', 'c']);
  });

  it('gives each caller its own copy: a change by one is not seen by the next', () => {
    const words = rememberRecent((text) => text.split(' '), (w) => w.slice());
    words('a b').push('changed');
    expect(words('a b')).to.deep.equal(['a', 'b']);
  });

  it('starts again past its size instead of growing', () => {
    let computed = 0;
    const length = rememberRecent((text) => { computed++; return text.length; }, (n) => n, 2);
    for (const text of ['a', 'bb', 'ccc', 'a']) length(text);
    expect(computed).to.equal(4);
  });
});

import { expect } from 'chai';
import { findTerms } from '../../../review/qa/glossary.ts';
import { markTerms } from './translation-view.ts';

describe('glossary marks in the source', () => {
  const glossary = [{ source: 'Bộ Ngoại giao', target: 'Ministry of Foreign Affairs', variants: ['Foreign Ministry'] }, { source: 'Việt Nam', target: 'Viet Nam', variants: [] }];
  it('marks each term with its required translation and escapes everything else', () => {
    const { html, terms } = markTerms('<script>x</script> Bộ Ngoại giao & Việt Nam', glossary, findTerms);
    expect(html).to.equal('&lt;script&gt;x&lt;/script&gt; <mark class="term" title="Ministry of Foreign Affairs / Foreign Ministry">Bộ Ngoại giao<span class="req"> → Ministry of Foreign Affairs</span></mark> &amp; <mark class="term" title="Viet Nam">Việt Nam<span class="req"> → Viet Nam</span></mark>');
    expect(terms.map((t) => t.source)).to.deep.equal(['Bộ Ngoại giao', 'Việt Nam']);
  });
  it('escapes quotes in a term’s translation inside the title attribute', () => {
    const { html } = markTerms('Quốc hội', [{ source: 'Quốc hội', target: 'National "Assembly"', variants: [] }], findTerms);
    expect(html).to.contain('title="National &quot;Assembly&quot;"');
  });
});

import { expect } from 'chai';
import { formatGlossaryTsv, parseGlossaryTsv } from './glossary.ts';

describe('glossary files', () => {
  it('reads the TSV format with variants and notes, in NFC', () => {
    const nfd = 'Bộ Ngoại giao'.normalize('NFD');
    const terms = parseGlossaryTsv(`source\ttarget\tvariants\tnote\n# comment\n${nfd}\tMinistry of Foreign Affairs\tForeign Ministry; MOFA\t\n\nQuốc hội\tNational Assembly\t\t\n`);
    expect(terms).to.deep.equal([
      { source: 'Bộ Ngoại giao', target: 'Ministry of Foreign Affairs', variants: ['Foreign Ministry', 'MOFA'], note: undefined },
      { source: 'Quốc hội', target: 'National Assembly', variants: [], note: undefined },
    ]);
    expect(terms[0]!.source).to.equal('Bộ Ngoại giao'.normalize('NFC'));
  });

  it('round-trips through the writer', () => {
    const terms = [{ source: 'Việt Nam', target: 'Viet Nam', variants: ['Vietnam'], note: 'official spelling' }];
    expect(parseGlossaryTsv(formatGlossaryTsv(terms))).to.deep.equal(terms);
  });

  it('refuses a file without the header, and a line without a target, naming the line', () => {
    expect(() => parseGlossaryTsv('Quốc hội\tNational Assembly\n')).to.throw(/header line/);
    expect(() => parseGlossaryTsv('source\ttarget\nQuốc hội\t\n')).to.throw(/line 2/);
    expect(() => parseGlossaryTsv('# terms of the ministry\nsource\ttarget\n\nBộ\tMinistry\nQuốc hội\t\n')).to.throw(/line 5:/);
  });

  it('reads the bundled glossaries', async () => {
    const { readFileSync } = await import('node:fs');
    const en = parseGlossaryTsv(readFileSync('config/glossaries/vi-en.tsv', 'utf8'));
    expect(en.find((t) => t.source === 'Bộ Chính trị')?.target).to.equal('Politburo');
    expect(parseGlossaryTsv(readFileSync('config/glossaries/vi-fr.tsv', 'utf8')).length).to.be.greaterThan(10);
  });
});

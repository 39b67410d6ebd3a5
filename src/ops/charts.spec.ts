import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { barChart, columnChart, palette } from './charts.ts';

const series = [{ key: 'queued', label: 'Queued' }, { key: 'published', label: 'Published' }];

/** Relative luminance contrast (WCAG 2) of a colour against white. */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"(?: stroke="#fff" stroke-width="1")?>/g)]
  .map((m) => ({ x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), fill: m[5] }));

describe('charts', () => {
  it('stacks each row\'s series end to end, scaled to the largest total, with the values in titles', () => {
    const svg = barChart({
      id: 'backlog', title: 'Backlog', desc: 'Per audience', stacked: true, series, empty: 'none', width: 620,
      rows: [{ label: 'en', values: [10, 30] }, { label: 'fr', values: [20, 0] }],
    });
    expect(XMLValidator.validate(svg)).to.equal(true);
    const bars = rects(svg).filter((r) => r.width > 12 || r.y > 20); // legend swatches are 12 wide on the first line
    // 400 px of bar span (620 - 150 labels - 70 values); en totals 40 = the whole span
    expect(bars).to.deep.equal([
      { x: 150, y: 32, width: 100, fill: palette[0] }, { x: 250, y: 32, width: 300, fill: palette[1] },
      { x: 150, y: 58, width: 200, fill: palette[0] },
    ]);
    expect(svg).to.contain('<title>en, Published: 30</title>').and.contain('>40</text>').and.contain('>20</text>');
    expect(svg).to.not.contain('fr, Published'); // a zero segment draws nothing
  });

  it('draws grouped bars with their formatted values beside them', () => {
    const svg = barChart({
      id: 't', title: 'Time', desc: 'p50 and p95', stacked: false, series, empty: 'none',
      rows: [{ label: 'en · Published', values: [60, 120] }], format: (s) => `${s / 60} min`,
    });
    expect(svg).to.contain('>1 min</text>').and.contain('>2 min</text>').and.contain('<title>en · Published, Published: 2 min</title>');
  });

  it('is an accessible image whose text is escaped', () => {
    const svg = barChart({ id: 'x"y', title: 'A <b> & "c"', desc: "it's", stacked: true, series: [{ key: 'k', label: '<script>' }], rows: [{ label: '</svg>', values: [1] }], empty: '' });
    expect(XMLValidator.validate(svg)).to.equal(true);
    expect(svg).to.match(/^<svg [^>]*role="img" aria-labelledby="x-y-title x-y-desc"/);
    expect(svg).to.contain('<title id="x-y-title">A &lt;b&gt; &amp; &quot;c&quot;</title><desc id="x-y-desc">it&#39;s</desc>');
    expect(svg).to.not.contain('<script>').and.not.contain('</svg><').and.not.contain('style=');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
    expect(parsed.svg.title['#text']).to.equal('A <b> & "c"');
  });

  it('says so when there is nothing to draw', () => {
    expect(barChart({ id: 'e', title: 'T', desc: 'D', stacked: true, series, rows: [], empty: 'Nothing yet' })).to.contain('>Nothing yet</text>').and.not.contain('<rect');
    expect(columnChart({ id: 'e', title: 'T', desc: 'D', points: [], empty: 'No characters' })).to.contain('>No characters</text>');
  });

  it('draws columns against a limit line scaled with them', () => {
    const svg = columnChart({ id: 'cost', title: 'Characters', desc: 'Per day', width: 480, points: [{ label: '01', value: 500 }, { label: '02', value: 1000 }], limit: { value: 2000, label: 'Budget' }, empty: '' });
    expect(XMLValidator.validate(svg)).to.equal(true);
    // plot 160 px tall from y=20 to y=180, top = 2000 × 1.05 = 2100; 1000 → 76.2 px tall
    const cols = rects(svg);
    expect(cols.map((c) => [c.x, c.width])).to.deep.equal([[100, 140], [300, 140]]);
    expect(svg).to.contain('height="76.2"').and.contain('height="38.1"');
    expect(svg).to.contain('y1="27.6"').and.contain('>Budget: 2000</text>');
  });

  it('uses colours with at least 3:1 contrast against white', () => {
    for (const colour of palette) expect(contrastOnWhite(colour), colour).to.be.at.least(3);
  });

  it('escapes labels and drops characters XML does not allow', () => {
    const svg = barChart({ id: 'c', title: 'T', desc: 'D', series: [{ key: 'a', label: 'A' }], rows: [{ label: `<b>'&'\u0001</b>`, values: [1] }], format: String, empty: '', stacked: false });
    expect(svg).to.contain('&lt;b&gt;&#39;&amp;&#39;&lt;/b&gt;').and.not.contain('\u0001');
  });
});

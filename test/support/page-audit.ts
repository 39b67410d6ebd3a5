/**
 * What every browser spec checks of a page as it stands: a full-page screenshot under
 * test-artifacts/, no sideways scroll, no link or button narrower than its longest word (a menu
 * squeezed into a column breaks "Sources" into "Sou/rces"), and no serious or critical finding of
 * the axe audit (WCAG 2.1 A and AA).
 */
import { AxeBuilder } from '@axe-core/playwright';
import path from 'node:path';
import type { Page } from 'playwright-core';

export async function auditPage(page: Page, name: string, artifacts: string): Promise<string[]> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const problems = await page.evaluate((name) => {
    const found: string[] = [];
    const sideways = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (sideways > 0) found.push(`${name} scrolls ${sideways} px sideways`);
    const measure = document.createElement('canvas').getContext('2d')!;
    for (const el of document.querySelectorAll<HTMLElement>('nav a, button, a.btn')) {
      const text = el.innerText.trim();
      const style = getComputedStyle(el);
      // hidden, or inline: an inline link wraps with its sentence, it has no box to be squeezed in
      if (!text || el.offsetParent === null || style.display === 'inline') continue;
      measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const longest = Math.max(...text.split(/\s+/).map((w) => measure.measureText(w).width));
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (longest > room + 1) found.push(`${name}: "${text}" is ${Math.round(room)} px wide, narrower than its word of ${Math.round(longest)} px`);
    }
    return found;
  }, name);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
    problems.push(`${name}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }
  return problems;
}

/**
 * The site's fixed files, read once at start: the stylesheet and each audience's logo, each under a
 * URL that carries a hash of its bytes, so browsers keep them for a year and a new version is a new URL.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { AudienceConfig } from '../../core/audience.ts';
import type { SiteLogo } from '../../publish/site/model.ts';
import type { SiteAsset } from './site.ts';

const STYLESHEET = new URL('../../publish/site/site.css', import.meta.url);
/** Logos are drawn this tall in the masthead; width follows the file's proportions. */
const LOGO_HEIGHT = 40;

const hashOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 12);

export async function loadSiteAssets(audiences: readonly AudienceConfig[]): Promise<{ stylesheet: string; logos: Map<string, SiteLogo>; assets: SiteAsset[] }> {
  const css = await readFile(STYLESHEET);
  const stylesheet = `/site/site-${hashOf(css)}.css`;
  const assets: SiteAsset[] = [{ path: stylesheet, type: 'text/css; charset=utf-8', body: css }];
  const logos = new Map<string, SiteLogo>();
  const byFile = new Map<string, { path: string; width: number; height: number }>();
  for (const audience of audiences) {
    if (!audience.logo) continue;
    let logo = byFile.get(audience.logo);
    if (!logo) {
      const body = await readFile(audience.logo);
      const meta = await sharp(body).metadata();
      const ext = path.extname(audience.logo).toLowerCase() === '.svg' ? 'svg' : 'png';
      const at = `/site/logo-${hashOf(body)}.${ext}`;
      const ratio = meta.width && meta.height ? meta.width / meta.height : 1;
      logo = { path: at, width: Math.round(LOGO_HEIGHT * ratio), height: LOGO_HEIGHT };
      assets.push({ path: at, type: ext === 'svg' ? 'image/svg+xml' : 'image/png', body });
      byFile.set(audience.logo, logo);
    }
    logos.set(audience.id, logo);
  }
  return { stylesheet, logos, assets };
}

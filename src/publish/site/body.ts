/**
 * An article's body as its page shows it, from the sanitized HTML of the publication (the ingest
 * allowlist, applied again at publication: well-formed, lower-case tags, double-quoted attributes,
 * which is what makes these few regular expressions safe). Pure.
 *
 * - The lead image's own figure is taken out of the body: it is the page's lead figure, with its
 *   translated caption and the credit at the caption's end.
 * - Every image we stored is served from /media in several sizes (srcset, WebP beside JPEG), with
 *   its width and height so nothing moves while it loads; an image we did not store is left out: the
 *   pages load images from their own origin only (their CSP), and readers are not sent to the source.
 * - A table scrolls inside a focusable, labelled region, so a wide one never makes the page scroll
 *   sideways on a phone.
 */
import { escapeXml as escapeHtml } from '../../core/escape.ts';
import type { ResponsiveImage } from './model.ts';

export interface BodyImages {
  /** The lead image's source URL (story_images position 0), if stored. */
  leadSourceUrl: string | undefined;
  /** Every stored image of the story by its source URL. */
  bySource: ReadonlyMap<string, ResponsiveImage>;
}

export interface PreparedBody {
  html: string;
  /** The lead figure's caption (inner HTML) and credit, when the body had a figure of the lead image. */
  leadCaption: { caption: string; credit: string } | undefined;
}

const FIGURE = /<figure>([\s\S]*?)<\/figure>/g;
const IMG = /<img\b([^>]*?)\s*\/?>/g;
const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1];
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * A trailing credit in parentheses with a colon, as Vietnamese captions and their translations write
 * it: "… (Ảnh: TTXVN)", "… (Photo: VNA)", "…（图片：越通社）". Only plain text: a caption whose end is markup keeps it.
 */
const CREDIT = /\s*[(（]([^()（）<>]{1,60}[:：][^()（）<>]{1,80})[)）]\s*$/;

export function splitCredit(captionHtml: string): { caption: string; credit: string } {
  const m = CREDIT.exec(captionHtml);
  if (!m) return { caption: captionHtml.trim(), credit: '' };
  return { caption: captionHtml.slice(0, m.index).trim(), credit: m[1]!.trim() };
}

export interface PictureOptions {
  alt: string;
  sizes: string;
  /** The first image of a page loads at once; the others when scrolled near. */
  eager?: boolean;
}

/** <picture> with WebP and JPEG sizes; the img carries the largest size's proportions as width and height. */
export function pictureHtml(image: ResponsiveImage, opts: PictureOptions): string {
  const set = (sources: ResponsiveImage['jpeg']) => sources.map((s) => `${escapeHtml(s.url)} ${s.width}w`).join(', ');
  const fallback = image.jpeg[Math.min(1, image.jpeg.length - 1)]!;
  const largest = image.jpeg.at(-1)!;
  return `<picture><source type="image/webp" srcset="${set(image.webp)}" sizes="${escapeHtml(opts.sizes)}">`
    + `<img src="${escapeHtml(fallback.url)}" srcset="${set(image.jpeg)}" sizes="${escapeHtml(opts.sizes)}" width="${largest.width}" height="${largest.height}" alt="${escapeHtml(opts.alt)}"`
    + `${opts.eager ? ' fetchpriority="high"' : ' loading="lazy"'} decoding="async"></picture>`;
}

/** Sizes of an image in the article column: the full width of a phone, at most the column (40em) beyond. */
export const ARTICLE_SIZES = '(min-width: 46em) 40em, calc(100vw - 2rem)';

export function prepareBody(html: string, images: BodyImages, strings: { table: string }): PreparedBody {
  let leadCaption: PreparedBody['leadCaption'];
  let body = html;
  if (images.leadSourceUrl) {
    let taken = false;
    body = body.replace(FIGURE, (whole, inner: string) => {
      if (taken) return whole;
      const src = [...inner.matchAll(IMG)].map((m) => attr(m[1]!, 'src')).find(Boolean);
      if (!src || unescape(src) !== images.leadSourceUrl) return whole;
      taken = true;
      const caption = /<figcaption>([\s\S]*?)<\/figcaption>/.exec(inner)?.[1] ?? '';
      leadCaption = splitCredit(caption);
      return '';
    });
    // the lead image alone in a paragraph: shown above already
    if (!taken) body = body.replace(/<p>\s*<img\b([^>]*?)\s*\/?>\s*<\/p>/, (whole, attrs: string) => (unescape(attr(attrs, 'src') ?? '') === images.leadSourceUrl ? '' : whole));
  }
  body = body.replace(IMG, (_whole, attrs: string) => {
    const src = attr(attrs, 'src');
    const stored = src ? images.bySource.get(unescape(src)) : undefined;
    if (!stored) return '';
    return pictureHtml(stored, { alt: unescape(attr(attrs, 'alt') ?? ''), sizes: ARTICLE_SIZES });
  });
  // figures whose only image was left out keep their caption as text
  body = body.replace(/<figure>\s*(?:<figcaption>([\s\S]*?)<\/figcaption>)?\s*<\/figure>/g, (_w, caption?: string) => (caption ? `<p class="caption">${caption}</p>` : ''));
  body = body.replace(/<table>/g, `<div class="table-scroll" role="region" tabindex="0" aria-label="${escapeHtml(strings.table)}"><table>`).replace(/<\/table>/g, '</table></div>');
  return { html: body.trim(), leadCaption };
}

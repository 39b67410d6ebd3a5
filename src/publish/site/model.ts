/**
 * The public site as data: what the page renderers (pages.ts, article.ts) turn into HTML, built by
 * load.ts from publications. Renderers are pure functions of these, the audience's strings and a clock.
 */

/** An audience as its site presents it. */
export interface SiteAudience {
  id: string;
  /** BCP 47 tag of the text (lang). */
  language: string;
  /** BCP 47 locale dates are written in (en-GB). */
  locale: string;
  dir: 'ltr' | 'rtl';
  timeZone: string;
  publicationName: string;
  logo: SiteLogo | undefined;
  /** The audience's language in that language, for the language switcher ("Français"). */
  languageName: string;
}

export interface SiteLogo { path: string; width: number; height: number }

/** One size of an image, for srcset: `url` is root-relative (/media/…); metadata prefixes the public URL. */
export interface ImageSource { url: string; width: number; height: number }

/** A stored image in the sizes pages offer (srcset), largest last, with WebP beside JPEG. */
export interface ResponsiveImage {
  jpeg: ImageSource[];
  webp: ImageSource[];
  /** 1200×630, for Open Graph (and most networks' link cards). */
  card: ImageSource & { type: string };
  /** 1200×600, X's large-image card. */
  cardX: ImageSource & { type: string };
}

/** A story in a list: home, topic, archive, related stories. */
export interface StoryCard {
  translationId: number;
  audienceId: string;
  /** The article's path (/read/<audience>/<id>): links inside the site are root-relative. */
  path: string;
  title: string;
  summary: string;
  firstPublishedAt: Date;
  priority: boolean;
  topic: { slug: string; name: string } | undefined;
  image: ResponsiveImage | undefined;
}

/** Where the same story can be read in another language: `url` absolute (hreflang), `path` for links on the page. */
export interface Alternate { language: string; audienceId: string | undefined; url: string; path: string; languageName: string }

export interface LeadFigure {
  image: ResponsiveImage;
  /** In the audience's language, from the translated body's figure of that image; empty when none. */
  caption: string;
  /** The photo credit at the end of the caption ("Photo: VNA"), when the caption has one. */
  credit: string;
}

export interface Article {
  translationId: number;
  url: string;
  title: string;
  summary: string;
  /** Sanitized at publication; its images already pointed at our /media sizes (see body.ts). */
  bodyHtml: string;
  author: string | undefined;
  attribution: string | undefined;
  originalUrl: string | undefined;
  originalPublishedAt: Date | undefined;
  firstPublishedAt: Date;
  updatedAt: Date;
  corrections: number;
  topic: { slug: string; name: string } | undefined;
  lead: LeadFigure | undefined;
  /** Other languages of the same story (the Vietnamese original last). */
  alternates: Alternate[];
  related: StoryCard[];
  /** When the story is the official answer to a false claim: what it reviews (ClaimReview). */
  factCheck?: FactCheck | undefined;
}

/** A false claim an article answers, as the public sees it: what is said, where, and its rating on the configured scale. */
export interface FactCheck {
  /** What is said, as the desk registered it (in Vietnamese). */
  claim: string;
  /** Its rating: the value on the scale and its name in the audience's language. */
  rating: { value: number; best: number; worst: number; name: string };
  /** Where it was said, first sighting first. */
  appearances: { url: string; outlet: string; language: string; firstSeenAt: Date }[];
}

/** What every page of an audience's site shares: the other audiences for the language switcher, topics for the menu. */
export interface SiteShell {
  audience: SiteAudience;
  publicUrl: string;
  /** Audiences with something public, this one included, in configuration order. */
  audiences: SiteAudience[];
  stylesheet: string;
  /** The credit line of the audience (feeds' credit). */
  credit: string;
}

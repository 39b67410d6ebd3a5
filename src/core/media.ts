/**
 * The image variants a story's images are turned into, by name: their size, how they are cut and
 * their type. ingest/images.ts makes them, feeds and social cards use them, /media serves them.
 */
export const imageVariants = {
  /** Social cards and feed enclosures: 1200×630 (1.91:1, what Open Graph readers draw), cropped to fill, JPEG. */
  card: { width: 1200, height: 630, fit: 'cover', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'card-webp': { width: 1200, height: 630, fit: 'cover', format: 'webp', mime: 'image/webp', ext: 'webp' },
  /** X's summary_large_image card is 2:1. */
  'card-x': { width: 1200, height: 600, fit: 'cover', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  /** In-article display: at most 1600 wide, never enlarged; the smaller ones for srcset on phones. */
  large: { width: 1600, height: undefined, fit: 'inside', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'large-webp': { width: 1600, height: undefined, fit: 'inside', format: 'webp', mime: 'image/webp', ext: 'webp' },
  w960: { width: 960, height: undefined, fit: 'inside', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'w960-webp': { width: 960, height: undefined, fit: 'inside', format: 'webp', mime: 'image/webp', ext: 'webp' },
  w480: { width: 480, height: undefined, fit: 'inside', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'w480-webp': { width: 480, height: undefined, fit: 'inside', format: 'webp', mime: 'image/webp', ext: 'webp' },
} as const;
export type ImageVariant = keyof typeof imageVariants;

export const isImageVariant = (name: string): name is ImageVariant => Object.hasOwn(imageVariants, name);

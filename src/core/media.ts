/**
 * The image variants a story's images are turned into, by name: their size, how they are cut and
 * their type. ingest/images.ts makes them, feeds and social cards use them, /media serves them.
 */
export const imageVariants = {
  /** Social cards and feed enclosures: 1200×630, cropped to fill, JPEG. */
  card: { width: 1200, height: 630, fit: 'cover', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  'card-webp': { width: 1200, height: 630, fit: 'cover', format: 'webp', mime: 'image/webp', ext: 'webp' },
  /** In-article display: at most 1600 wide, never enlarged. */
  large: { width: 1600, height: undefined, fit: 'inside', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
} as const;
export type ImageVariant = keyof typeof imageVariants;

export const isImageVariant = (name: string): name is ImageVariant => Object.hasOwn(imageVariants, name);

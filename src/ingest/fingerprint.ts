/**
 * Near-duplicate detection by simhash (Charikar): a 64-bit fingerprint of a story's normalised text
 * (NFC, lower case, punctuation dropped, word 3-shingles). Two re-runs of one article differ by a
 * source line, a caption or a changed headline; their fingerprints differ in a few bits, while
 * unrelated stories differ in about 32. Chosen over MinHash because one 64-bit number per story is
 * enough and the lookup is an index hit: split into four 16-bit bands, two fingerprints within
 * Hamming distance 3 share at least one band exactly (pigeonhole), so a GIN index over the bands
 * yields every candidate without comparing pairs. Pure functions.
 */

/** Fingerprints closer than this many differing bits are the same article. */
export const NEAR_DUPLICATE_BITS = 3;
/** Shorter texts (a bare headline) are too short to fingerprint without false matches. */
const MIN_WORDS = 30;

/**
 * The words a fingerprint is taken from: the body's paragraphs of 12 words or more. Headlines,
 * bylines, captions and source lines are what a re-posting site changes, so they are left out;
 * a story whose body is too short for that falls back to title, lead and body together.
 */
export function matchingText(title: string, summary: string, bodyHtml: string): string {
  const paragraphs = bodyHtml.split(/<\/(?:p|h\d|li|blockquote|td|figcaption)>|<br\s*\/?>/i)
    .map((p) => p.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ').trim())
    .filter((p) => p.split(/\s+/).length >= 12);
  const body = paragraphs.join(' ');
  return body.split(/\s+/).length >= MIN_WORDS ? body : `${title} ${summary} ${bodyHtml.replace(/<[^>]*>/g, ' ')}`;
}

export function normaliseForMatching(text: string): string {
  return text.normalize('NFC').toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface Fingerprint {
  /** Signed 64-bit value as a decimal string (PostgreSQL bigint). */
  simhash: string;
  /** Four bands tagged with their position: band i holds i * 65536 + bits. */
  bands: number[];
}

export function fingerprint(text: string): Fingerprint | undefined {
  const words = normaliseForMatching(text).split(' ').filter(Boolean);
  if (words.length < MIN_WORDS) return undefined;
  const ones = new Int32Array(64);
  // each word hashed once (two seeds); a shingle's hash mixes its three words' hashes
  const lo = words.map((w) => hash32(w, 0x811c9dc5));
  const hi = words.map((w) => hash32(w, 0x9747b28c));
  for (let i = 0; i + 3 <= words.length; i++) {
    const a = mix(mix(lo[i]!, lo[i + 1]!), lo[i + 2]!);
    const b = mix(mix(hi[i]!, hi[i + 1]!), hi[i + 2]!);
    for (let bit = 0; bit < 32; bit++) {
      ones[bit]! += (a >>> bit) & 1;
      ones[bit + 32]! += (b >>> bit) & 1;
    }
  }
  // a bit is set when most shingles set it
  const shingles = Math.max(0, words.length - 2);
  let value = 0n;
  for (let b = 63; b >= 0; b--) value = (value << 1n) | (ones[b]! * 2 > shingles ? 1n : 0n);
  const bands = [0, 1, 2, 3].map((i) => i * 65536 + Number((value >> BigInt(i * 16)) & 0xffffn));
  return { simhash: BigInt.asIntN(64, value).toString(), bands };
}

export function hammingDistance(a: string | bigint, b: string | bigint): number {
  let x = BigInt.asUintN(64, BigInt(a)) ^ BigInt.asUintN(64, BigInt(b));
  let n = 0;
  while (x) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** Order-dependent combination of two 32-bit hashes (murmur3's block step). */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

/** FNV-1a over UTF-16 code units with a murmur finaliser; two seeds give the two 32-bit halves. */
function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

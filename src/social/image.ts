/**
 * Image cards: the story's lead image cut to the size a network shows best and encoded under
 * its byte limit (Bluesky refuses blobs over 1,000,000 bytes). JPEG quality steps down first,
 * then the size, so a busy photo still fits.
 */
import sharp from 'sharp';

export interface ImageSpec {
  width: number;
  height: number;
  maxBytes: number;
}

export interface ImageCard {
  bytes: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
  /** Alt text in the audience's language. */
  alt: string;
}

const qualities = [85, 75, 65, 55, 45];

export async function makeCard(source: Buffer, spec: ImageSpec, alt: string): Promise<ImageCard> {
  let { width, height } = spec;
  for (let round = 0; round < 6; round++) {
    const resized = await sharp(source, { failOn: 'error' }).rotate().resize(width, height, { fit: 'cover', position: 'attention' }).flatten({ background: '#ffffff' }).toBuffer();
    for (const quality of qualities) {
      const bytes = await sharp(resized).jpeg({ quality, mozjpeg: true }).toBuffer();
      if (bytes.length <= spec.maxBytes) return { bytes, mime: 'image/jpeg', width, height, alt };
    }
    width = Math.round(width * 0.8);
    height = Math.round(height * 0.8);
  }
  throw new Error(`the image cannot be made smaller than ${spec.maxBytes} bytes`);
}

import sharp from 'sharp';

/**
 * Decoding and re-encoding uploaded images (product photos, dossier evidence). Decoding the whole
 * image is what proves an upload is one (magic bytes only say what it claims to be); re-encoding
 * keeps only the pixels, so EXIF/GPS and other metadata, and anything appended after the image
 * (HTML after a PNG's end), are not stored.
 */

export const IMAGE_LIMITS = {
  /** Refuses decompression bombs: a small file that would decode to a huge bitmap (about 7000×7000). */
  maxInputPixels: 50_000_000,
} as const;

export type EncodedImage = { data: Buffer; width: number; height: number; bytes: number };

export type ImageOutput = {
  format: 'jpeg' | 'png';
  /** Longest edge of the result; larger images are scaled down, smaller ones kept. */
  maxEdge?: number;
  /** JPEG quality (1–100). */
  quality?: number;
};

export class ImageDecodeError extends Error {
  constructor(
    readonly reason: 'undecodable' | 'tooManyPixels',
    cause?: unknown,
  ) {
    super(reason, { cause });
  }
}

function readUint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * The width and height a PNG or JPEG declares in its header (PNG's IHDR, JPEG's first start-of-frame
 * segment), read without decoding anything; null when the header cannot be found. Used to refuse a
 * decompression bomb from its declaration alone.
 */
export function declaredImageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const isPng =
    bytes.length >= 24 &&
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b) &&
    String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  if (isPng) return { width: readUint32(bytes, 16), height: readUint32(bytes, 20) };
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    // Markers without a length: TEM and the restart markers; start-of-scan means no frame came first.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    const length = readUint16(bytes, at + 2);
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) return null;
      return { height: readUint16(bytes, at + 5), width: readUint16(bytes, at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

/**
 * Decodes `input` fully and encodes it again as `output` says: EXIF orientation applied, metadata
 * dropped, transparency flattened onto white for JPEG. Throws ImageDecodeError for an image over
 * IMAGE_LIMITS.maxInputPixels (checked on the declared size first, then by the decoder before it
 * allocates) or one that does not decode cleanly.
 */
export async function reencodeImage(input: Buffer, output: ImageOutput): Promise<EncodedImage> {
  const declared = declaredImageSize(input);
  if (declared && declared.width * declared.height > IMAGE_LIMITS.maxInputPixels) {
    throw new ImageDecodeError('tooManyPixels');
  }
  try {
    let pipeline = sharp(input, {
      // A truncated or corrupt file fails instead of being half-decoded into grey.
      failOn: 'warning',
      limitInputPixels: IMAGE_LIMITS.maxInputPixels,
    }).rotate(); // apply the EXIF orientation before the metadata is dropped
    if (output.maxEdge) {
      pipeline = pipeline.resize({
        width: output.maxEdge,
        height: output.maxEdge,
        fit: 'inside',
        withoutEnlargement: true,
      });
    }
    pipeline =
      output.format === 'jpeg'
        ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: output.quality ?? 85, mozjpeg: true })
        : pipeline.png();
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, bytes: data.length };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw new ImageDecodeError(/pixel limit/i.test(message) ? 'tooManyPixels' : 'undecodable', error);
  }
}

import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { PHOTO_LIMITS } from './rules';

/**
 * Decoding, normalising and storing product photos. Decoding the whole image is what proves an
 * upload is one (magic bytes only say what it claims to be); re-encoding drops EXIF/GPS metadata
 * and anything appended to the file.
 */

export type Rendition = { data: Buffer; width: number; height: number; bytes: number };
export type ProcessedPhoto = { full: Rendition; thumb: Rendition };

/** Stored as JPEG: every browser shows it and the PDF generator (pdfkit) embeds JPEG but not WebP. */
export const STORED_MIME_TYPE = 'image/jpeg';

export class PhotoDecodeError extends Error {
  constructor(
    readonly reason: 'undecodable' | 'tooManyPixels',
    cause: unknown,
  ) {
    super(reason, { cause });
  }
}

async function render(input: Buffer, maxEdge: number): Promise<Rendition> {
  const { data, info } = await sharp(input, {
    // A truncated or corrupt file fails instead of being half-decoded into grey.
    failOn: 'warning',
    limitInputPixels: PHOTO_LIMITS.maxInputPixels,
  })
    .rotate() // apply the EXIF orientation before the metadata is dropped
    .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' }) // JPEG has no transparency
    .jpeg({ quality: PHOTO_LIMITS.jpegQuality, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, bytes: data.length };
}

export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  try {
    const full = await render(input, PHOTO_LIMITS.fullMaxEdge);
    const thumb = await render(full.data, PHOTO_LIMITS.thumbMaxEdge);
    return { full, thumb };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    throw new PhotoDecodeError(/pixel limit/i.test(message) ? 'tooManyPixels' : 'undecodable', error);
  }
}

export type PhotoSize = 'full' | 'thumb';

export function photoDir(uploadsDir: string, productId: string): string {
  return path.join(uploadsDir, 'products', productId);
}

export function photoPath(uploadsDir: string, productId: string, photoId: string, size: PhotoSize): string {
  return path.join(
    photoDir(uploadsDir, productId),
    size === 'thumb' ? `${photoId}.thumb.jpg` : `${photoId}.jpg`,
  );
}

/**
 * Writes both renditions under temporary names, then renames them into place, so a reader never
 * sees half a file. Returns the final paths, for removal if the database write then fails.
 */
export async function storePhoto(
  uploadsDir: string,
  productId: string,
  photoId: string,
  photo: ProcessedPhoto,
): Promise<string[]> {
  await fs.mkdir(photoDir(uploadsDir, productId), { recursive: true });
  const written: string[] = [];
  try {
    for (const size of ['full', 'thumb'] as const) {
      const target = photoPath(uploadsDir, productId, photoId, size);
      const temporary = `${target}.${randomUUID()}.tmp`;
      await fs.writeFile(temporary, photo[size].data, { flag: 'wx' });
      try {
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
      written.push(target);
    }
    return written;
  } catch (error) {
    await removeFiles(written);
    throw error;
  }
}

export async function removeFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => fs.rm(p, { force: true })));
}

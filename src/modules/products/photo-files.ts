import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type EncodedImage, reencodeImage } from '../../server/images';
import { PHOTO_LIMITS } from './rules';

/**
 * Normalising and storing product photos: both renditions are re-encoded by the shared image code
 * (src/server/images.ts), which proves the upload decodes and drops metadata and appended bytes.
 */

export type Rendition = EncodedImage;
export type ProcessedPhoto = { full: Rendition; thumb: Rendition };

/** Stored as JPEG: every browser shows it and the PDF generator (pdfkit) embeds JPEG but not WebP. */
export const STORED_MIME_TYPE = 'image/jpeg';

const render = (input: Buffer, maxEdge: number) =>
  reencodeImage(input, { format: 'jpeg', maxEdge, quality: PHOTO_LIMITS.jpegQuality });

/** Throws ImageDecodeError (src/server/images.ts) for an undecodable or too large image. */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  const full = await render(input, PHOTO_LIMITS.fullMaxEdge);
  const thumb = await render(full.data, PHOTO_LIMITS.thumbMaxEdge);
  return { full, thumb };
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

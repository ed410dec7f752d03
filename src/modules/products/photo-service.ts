import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, eq, isNull } from 'drizzle-orm';
import { announceVerificationChange, applyVerificationChange } from '../../db/verification-notices';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { ImageDecodeError } from '../../server/images';
import { recordAudit } from '../audit';
import { loadProductFor } from './access';
import type { PhotoView } from './contract';
import {
  type PhotoSize,
  photoPath,
  processPhoto,
  removeFiles,
  STORED_MIME_TYPE,
  storePhoto,
} from './photo-files';
import { PHOTO_LIMITS, photoUploadProblem, sniffImageType } from './rules';
import { productPhotos } from './schema';
import { activePhotos, toPhotoView } from './service';

type Ctx = { ctx: RequestContext };

export const photoMessages = {
  missing: { vi: 'Chưa chọn tệp ảnh.', en: 'No photo file was sent.' },
  malformed: {
    vi: 'Nội dung tải lên không đúng định dạng multipart.',
    en: 'The upload is not well-formed multipart data.',
  },
  empty: { vi: 'Tệp ảnh rỗng.', en: 'The photo file is empty.' },
  tooLarge: { vi: 'Ảnh vượt quá dung lượng cho phép.', en: 'The photo is larger than allowed.' },
  notAnImage: {
    vi: 'Chỉ nhận ảnh JPEG, PNG hoặc WebP.',
    en: 'Only JPEG, PNG or WebP photos are accepted.',
  },
  undecodable: {
    vi: 'Tệp ảnh bị hỏng hoặc không phải ảnh thật.',
    en: 'The photo is damaged or not really an image.',
  },
  tooManyPixels: { vi: 'Ảnh có độ phân giải quá lớn.', en: 'The photo has too many pixels.' },
  tooMany: {
    vi: `Mỗi sản phẩm có tối đa ${PHOTO_LIMITS.maxPhotosPerProduct} ảnh.`,
    en: `A product has at most ${PHOTO_LIMITS.maxPhotosPerProduct} photos.`,
  },
  archived: {
    vi: 'Sản phẩm đã lưu trữ; hãy khôi phục trước khi sửa ảnh.',
    en: 'The product is archived; restore it before changing its photos.',
  },
  order: {
    vi: 'Danh sách phải gồm đúng các ảnh hiện có của sản phẩm, mỗi ảnh một lần.',
    en: 'The list must hold each current photo of the product exactly once.',
  },
} satisfies Record<string, Message>;

const photoNotFound = () => notFound({ vi: 'Không tìm thấy ảnh.', en: 'Photo not found.' });

/**
 * Adds one photo: checks size and type from the bytes, decodes and re-encodes it, stores the
 * files, then records the row and the audit entry in one transaction; files are removed again if
 * that transaction fails.
 */
export async function addPhoto({
  ctx,
  input,
}: Ctx & { input: { productId: string; data: Buffer } }): Promise<PhotoView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const { product } = await loadProductFor(db, actor, input.productId, 'edit');
  if (product.archivedAt) throw new AppError('CONFLICT', photoMessages.archived);
  switch (photoUploadProblem(input.data, ctx.config.uploadMaxBytes)) {
    case 'empty':
      throw fieldError('file', photoMessages.empty);
    case 'tooLarge':
      throw fieldError('file', photoMessages.tooLarge, 'PAYLOAD_TOO_LARGE');
    case 'notAnImage':
      throw fieldError('file', photoMessages.notAnImage, 'UNSUPPORTED_MEDIA');
  }
  // Cheap early refusal; the transaction below checks again under the product's row lock.
  if ((await activePhotos(db, product.id)).length >= PHOTO_LIMITS.maxPhotosPerProduct) {
    throw fieldError('file', photoMessages.tooMany, 'CONFLICT');
  }
  let processed: Awaited<ReturnType<typeof processPhoto>>;
  try {
    processed = await processPhoto(input.data);
  } catch (error) {
    if (error instanceof ImageDecodeError && error.reason === 'tooManyPixels') {
      throw fieldError('file', photoMessages.tooManyPixels, 'PAYLOAD_TOO_LARGE');
    }
    throw fieldError('file', photoMessages.undecodable, 'UNSUPPORTED_MEDIA');
  }
  // photoUploadProblem has proved the bytes carry one of the accepted signatures.
  const sourceMimeType = sniffImageType(input.data)!;
  const photoId = randomUUID();
  const files = await storePhoto(ctx.config.uploadsDir, product.id, photoId, processed);
  try {
    const added = await db.transaction(async (tx) => {
      await loadProductFor(tx, actor, product.id, 'edit', { forUpdate: true });
      const existing = await activePhotos(tx, product.id);
      if (existing.length >= PHOTO_LIMITS.maxPhotosPerProduct) {
        throw fieldError('file', photoMessages.tooMany, 'CONFLICT');
      }
      const [row] = await tx
        .insert(productPhotos)
        .values({
          id: photoId,
          productId: product.id,
          mimeType: STORED_MIME_TYPE,
          sourceMimeType,
          width: processed.full.width,
          height: processed.full.height,
          bytes: processed.full.bytes,
          thumbWidth: processed.thumb.width,
          thumbHeight: processed.thumb.height,
          thumbBytes: processed.thumb.bytes,
          sortOrder: Math.max(-1, ...existing.map((p) => p.sortOrder)) + 1,
        })
        .returning();
      const view = toPhotoView(row!);
      await recordAudit(tx, ctx, {
        action: 'product.photo_added',
        entityType: 'product',
        entityId: product.id,
        after: { ...view, sourceMimeType },
      });
      // The first photo becomes the cover the public verification page shows.
      await announceVerificationChange(tx, { productId: product.id });
      return view;
    });
    applyVerificationChange(ctx.database, { productId: product.id });
    return added;
  } catch (error) {
    await removeFiles(files);
    throw error;
  }
}

export type PhotoFile = { path: string; mimeType: string; bytes: number; etag: string };

/** The stored file of a photo the caller may see (whoever may read the product). */
export async function getPhotoFile({
  ctx,
  input,
}: Ctx & { input: { productId: string; photoId: string; size: PhotoSize } }): Promise<PhotoFile> {
  const { db } = ctx.database;
  await loadProductFor(db, ctx.actor!, input.productId, 'read');
  const [photo] = await db
    .select()
    .from(productPhotos)
    .where(
      and(
        eq(productPhotos.id, input.photoId),
        eq(productPhotos.productId, input.productId),
        isNull(productPhotos.removedAt),
      ),
    )
    .limit(1);
  if (!photo) throw photoNotFound();
  const file = photoPath(ctx.config.uploadsDir, photo.productId, photo.id, input.size);
  // A row whose file is gone (a restored backup without uploads) is a missing photo, not a crash.
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw photoNotFound();
  return { path: file, mimeType: photo.mimeType, bytes: stat.size, etag: `"${photo.id}-${input.size}"` };
}

/** Removes a photo from the product (soft: the row gets `removed_at`, the files stay for the record). */
export async function removePhoto({ ctx, input }: Ctx & { input: { productId: string; photoId: string } }) {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const { product } = await loadProductFor(db, actor, input.productId, 'edit');
  if (product.archivedAt) throw new AppError('CONFLICT', photoMessages.archived);
  await db.transaction(async (tx) => {
    await loadProductFor(tx, actor, product.id, 'edit', { forUpdate: true });
    const [removed] = await tx
      .update(productPhotos)
      .set({ removedAt: new Date() })
      .where(
        and(
          eq(productPhotos.id, input.photoId),
          eq(productPhotos.productId, product.id),
          isNull(productPhotos.removedAt),
        ),
      )
      .returning();
    if (!removed) throw photoNotFound();
    await recordAudit(tx, ctx, {
      action: 'product.photo_removed',
      entityType: 'product',
      entityId: product.id,
      before: toPhotoView({ ...removed, removedAt: null }),
    });
    await announceVerificationChange(tx, { productId: product.id });
  });
  applyVerificationChange(ctx.database, { productId: product.id });
}

/** Sets the order of the product's photos; the first is the cover. */
export async function reorderPhotos({
  ctx,
  input,
}: Ctx & { input: { productId: string; photoIds: string[] } }): Promise<PhotoView[]> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const { product } = await loadProductFor(db, actor, input.productId, 'edit');
  if (product.archivedAt) throw new AppError('CONFLICT', photoMessages.archived);
  const reordered = await db.transaction(async (tx) => {
    await loadProductFor(tx, actor, product.id, 'edit', { forUpdate: true });
    const current = await activePhotos(tx, product.id);
    const wanted = new Set(input.photoIds);
    if (
      wanted.size !== input.photoIds.length ||
      wanted.size !== current.length ||
      current.some((p) => !wanted.has(p.id))
    ) {
      throw fieldError('photoIds', photoMessages.order);
    }
    for (const [index, id] of input.photoIds.entries()) {
      await tx.update(productPhotos).set({ sortOrder: index }).where(eq(productPhotos.id, id));
    }
    await recordAudit(tx, ctx, {
      action: 'product.photos_reordered',
      entityType: 'product',
      entityId: product.id,
      before: current.map((p) => p.id),
      after: input.photoIds,
    });
    await announceVerificationChange(tx, { productId: product.id });
    const after = await activePhotos(tx, product.id);
    return after.map(toPhotoView);
  });
  applyVerificationChange(ctx.database, { productId: product.id });
  return reordered;
}

import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { pdfProblem, pdfProblemMessage } from '../../server/evidence-files';
import { IMAGE_LIMITS, ImageDecodeError, reencodeImage } from '../../server/images';
import { recordAudit } from '../audit';
import { checklistFor } from '../criteria';
import { frozenRuleSet, loadDossierFor, requireReader } from './access';
import type { DocumentView } from './contract';
import {
  DOCUMENT_EXTENSIONS,
  type DocumentType,
  type DossierState,
  documentUploadProblem,
  isEditable,
  MAX_DOCUMENTS_PER_ITEM,
  safeFileName,
  sniffDocumentType,
} from './rules';
import { evaluationDossierDocuments } from './schema';

/**
 * The dossier's evidence files (checklist documents): PDF, JPEG or PNG, type sniffed from the
 * bytes, size capped by UPLOAD_MAX_BYTES, stored under UPLOADS/dossiers/<dossier>/<document>.<ext>
 * (written to a temporary name and renamed, removed again if the database write fails). Only the
 * producer adds or removes them, while the dossier is a draft or returned for completion.
 *
 * What is stored is what was checked: a PDF as uploaded once it has no active content and a sound
 * frame (src/server/evidence-files.ts); an image as decoded and re-encoded in its own format
 * (src/server/images.ts, the same code and pixel limit as product photos), so its metadata (GPS)
 * and anything appended to it never reach the disk. Council members open these files.
 */

type Ctx = { ctx: RequestContext };
type DocumentRow = typeof evaluationDossierDocuments.$inferSelect;

export const documentMessages = {
  missing: { vi: 'Chưa chọn tệp tài liệu.', en: 'No document file was sent.' },
  malformed: {
    vi: 'Nội dung tải lên không đúng định dạng multipart.',
    en: 'The upload is not well-formed multipart data.',
  },
  empty: { vi: 'Tệp tài liệu rỗng.', en: 'The document file is empty.' },
  tooLarge: { vi: 'Tài liệu vượt quá dung lượng cho phép.', en: 'The document is larger than allowed.' },
  unsupported: {
    vi: 'Chỉ nhận tài liệu PDF hoặc ảnh JPEG, PNG.',
    en: 'Only PDF documents and JPEG or PNG images are accepted.',
  },
  undecodableImage: {
    vi: 'Tệp ảnh bị hỏng hoặc không phải ảnh thật. Hãy chụp hoặc quét lại rồi lưu ra JPEG hoặc PNG.',
    en: 'The image is damaged or not really an image. Take or scan it again and save it as JPEG or PNG.',
  },
  tooManyPixels: {
    vi: `Ảnh có độ phân giải quá lớn (tối đa ${IMAGE_LIMITS.maxInputPixels / 1_000_000} triệu điểm ảnh). Hãy giảm kích thước ảnh rồi tải lên lại.`,
    en: `The image has too many pixels (at most ${IMAGE_LIMITS.maxInputPixels / 1_000_000} million). Scale it down and upload it again.`,
  },
  itemUnknown: {
    vi: 'Mục này không có trong danh mục hồ sơ của bộ sản phẩm theo bộ tiêu chí của kỳ đánh giá.',
    en: "This item is not in the dossier checklist of the product set under the cycle's rule-set.",
  },
  tooMany: {
    vi: `Mỗi mục hồ sơ có tối đa ${MAX_DOCUMENTS_PER_ITEM} tài liệu.`,
    en: `A checklist item holds at most ${MAX_DOCUMENTS_PER_ITEM} documents.`,
  },
  notEditable: {
    vi: 'Chỉ thêm, bớt tài liệu khi hồ sơ ở trạng thái nháp hoặc đã trả lại để bổ sung.',
    en: 'Documents can be added or removed only while the dossier is a draft or returned.',
  },
  notOwner: {
    vi: 'Chỉ chủ thể sở hữu sản phẩm mới thêm, bớt tài liệu của hồ sơ.',
    en: "Only the producer owning the product adds or removes the dossier's documents.",
  },
} satisfies Record<string, Message>;

const documentNotFound = () => notFound({ vi: 'Không tìm thấy tài liệu.', en: 'Document not found.' });

export function documentViewOf(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    checklistCode: row.checklistCode,
    fileName: row.fileName,
    mimeType: row.mimeType as DocumentType,
    bytes: row.bytes,
    sha256: row.sha256,
    uploadedAt: row.uploadedAt,
  };
}

export function documentPath(uploadsDir: string, dossierId: string, documentId: string, type: DocumentType) {
  return path.join(uploadsDir, 'dossiers', dossierId, `${documentId}.${DOCUMENT_EXTENSIONS[type]}`);
}

/**
 * The bytes to store for an upload of the sniffed type, or the refusal: a PDF unchanged once
 * checked, an image re-encoded in its own format (PNG stays lossless for scanned text).
 */
async function checkedEvidence(data: Buffer, type: DocumentType): Promise<Buffer> {
  if (type === 'application/pdf') {
    const problem = await pdfProblem(data);
    if (problem) throw fieldError('file', pdfProblemMessage(problem), 'UNSAFE_FILE');
    return data;
  }
  try {
    const image = await reencodeImage(data, { format: type === 'image/png' ? 'png' : 'jpeg', quality: 90 });
    return image.data;
  } catch (error) {
    if (!(error instanceof ImageDecodeError)) throw error;
    if (error.reason === 'tooManyPixels') {
      throw fieldError('file', documentMessages.tooManyPixels, 'PAYLOAD_TOO_LARGE');
    }
    throw fieldError('file', documentMessages.undecodableImage, 'UNSUPPORTED_MEDIA');
  }
}

async function writeFileAtomically(target: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, data, { flag: 'wx' });
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

function requireOwnerEditing(state: DossierState, isOwner: boolean): void {
  if (!isOwner) throw new AppError('FORBIDDEN', documentMessages.notOwner);
  if (!isEditable(state)) throw new AppError('CONFLICT', documentMessages.notEditable);
}

export async function addDocument({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; item: string; fileName: string | undefined; data: Buffer } }) {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const first = await loadDossierFor(db, actor, input.dossierId);
  requireReader(first);
  requireOwnerEditing(first.dossier.state as DossierState, first.capacities.includes('owner'));
  const ruleSet = await frozenRuleSet(db, first.cycle.ruleSetId);
  if (!checklistFor(ruleSet, first.dossier.productSetCode).some((i) => i.code === input.item)) {
    throw fieldError('item', documentMessages.itemUnknown);
  }
  switch (documentUploadProblem(input.data, ctx.config.uploadMaxBytes)) {
    case 'empty':
      throw fieldError('file', documentMessages.empty);
    case 'tooLarge':
      throw fieldError('file', documentMessages.tooLarge, 'PAYLOAD_TOO_LARGE');
    case 'unsupported':
      throw fieldError('file', documentMessages.unsupported, 'UNSUPPORTED_MEDIA');
  }
  const type = sniffDocumentType(input.data)!;
  const stored = await checkedEvidence(input.data, type);
  const id = randomUUID();
  const file = documentPath(ctx.config.uploadsDir, input.dossierId, id, type);
  await writeFileAtomically(file, stored);
  try {
    return await db.transaction(async (tx) => {
      // Again under the row lock: the dossier may have been submitted meanwhile.
      const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'update' });
      requireOwnerEditing(access.dossier.state as DossierState, access.capacities.includes('owner'));
      const [existing] = await tx
        .select({ n: count() })
        .from(evaluationDossierDocuments)
        .where(
          and(
            eq(evaluationDossierDocuments.dossierId, input.dossierId),
            eq(evaluationDossierDocuments.checklistCode, input.item),
            isNull(evaluationDossierDocuments.removedAt),
          ),
        );
      if (Number(existing?.n ?? 0) >= MAX_DOCUMENTS_PER_ITEM) {
        throw fieldError('file', documentMessages.tooMany, 'CONFLICT');
      }
      const [row] = await tx
        .insert(evaluationDossierDocuments)
        .values({
          id,
          dossierId: input.dossierId,
          checklistCode: input.item,
          fileName: safeFileName(input.fileName, type),
          mimeType: type,
          bytes: stored.length,
          sha256: createHash('sha256').update(stored).digest('hex'),
          uploadedBy: actor.userId,
        })
        .returning();
      const view = documentViewOf(row!);
      await recordAudit(tx, ctx, {
        action: 'evaluation.dossier.document_added',
        entityType: 'evaluation_dossier',
        entityId: input.dossierId,
        after: view,
      });
      return view;
    });
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
}

export async function listDocuments({ ctx, input }: Ctx & { input: { dossierId: string } }) {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.dossierId);
  requireReader(access);
  const rows = await db
    .select()
    .from(evaluationDossierDocuments)
    .where(
      and(
        eq(evaluationDossierDocuments.dossierId, input.dossierId),
        isNull(evaluationDossierDocuments.removedAt),
      ),
    )
    .orderBy(evaluationDossierDocuments.uploadedAt, evaluationDossierDocuments.id);
  return { items: rows.map(documentViewOf) };
}

async function findDocument(
  dossierId: string,
  documentId: string,
  ctx: RequestContext,
): Promise<DocumentRow> {
  const [row] = await ctx.database.db
    .select()
    .from(evaluationDossierDocuments)
    .where(
      and(
        eq(evaluationDossierDocuments.id, documentId),
        eq(evaluationDossierDocuments.dossierId, dossierId),
        isNull(evaluationDossierDocuments.removedAt),
      ),
    )
    .limit(1);
  if (!row) throw documentNotFound();
  return row;
}

export type DocumentFile = {
  path: string;
  mimeType: DocumentType;
  bytes: number;
  fileName: string;
  etag: string;
};

/** The stored file of a document, for whoever may read the dossier (its council included). */
export async function getDocumentFile({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; documentId: string } }): Promise<DocumentFile> {
  const access = await loadDossierFor(ctx.database.db, ctx.actor!, input.dossierId);
  requireReader(access);
  const row = await findDocument(input.dossierId, input.documentId, ctx);
  const type = row.mimeType as DocumentType;
  const file = documentPath(ctx.config.uploadsDir, row.dossierId, row.id, type);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw documentNotFound();
  return { path: file, mimeType: type, bytes: stat.size, fileName: row.fileName, etag: `"${row.sha256}"` };
}

/** Removes a document from the dossier (soft: the row gets `removed_at`, the file stays for the record). */
export async function removeDocument({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; documentId: string } }) {
  const actor = ctx.actor!;
  await ctx.database.db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'update' });
    requireReader(access);
    requireOwnerEditing(access.dossier.state as DossierState, access.capacities.includes('owner'));
    const [row] = await tx
      .update(evaluationDossierDocuments)
      .set({ removedAt: new Date(), removedBy: actor.userId })
      .where(
        and(
          eq(evaluationDossierDocuments.id, input.documentId),
          eq(evaluationDossierDocuments.dossierId, input.dossierId),
          isNull(evaluationDossierDocuments.removedAt),
        ),
      )
      .returning();
    if (!row) throw documentNotFound();
    await recordAudit(tx, ctx, {
      action: 'evaluation.dossier.document_removed',
      entityType: 'evaluation_dossier',
      entityId: input.dossierId,
      before: documentViewOf(row),
    });
  });
}

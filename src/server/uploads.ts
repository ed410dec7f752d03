import type { FastifyRequest } from 'fastify';
import { AppError, fieldError, type Message } from './errors';

/** What each kind of upload says when the file is missing, too large, or the body unreadable. */
export type UploadMessages = { missing: Message; tooLarge: Message; malformed: Message };

/**
 * The one uploaded file (field `file`) of a multipart request, with its declared name (shown only,
 * never trusted). @fastify/multipart stops reading at config.uploadMaxBytes; a body that is not
 * valid multipart is the client's error, answered on the `file` field, never a 500.
 */
export async function readUploadedFile(
  request: FastifyRequest,
  messages: UploadMessages,
): Promise<{ data: Buffer; fileName: string | undefined }> {
  // The API document shows an upload's multipart body only when its route says so; a route that
  // reads a file without declaring it would publish a contract without its one input.
  if (!request.routeOptions.schema?.consumes?.includes('multipart/form-data')) {
    throw new Error(
      `Route ${request.routeOptions.url} reads an upload but declares no consumes: [MEDIA.multipart]`,
    );
  }
  try {
    const file = await request.file();
    if (!file) throw fieldError('file', messages.missing);
    // The name is text the person sent, stored NFC like every other (src/server/nfc.ts).
    return { data: await file.toBuffer(), fileName: file.filename?.normalize('NFC') };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fieldError('file', messages.tooLarge, 'PAYLOAD_TOO_LARGE');
    // Answered by the app's error handler (415) like any request of the wrong content type.
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw error;
    throw fieldError('file', messages.malformed);
  }
}

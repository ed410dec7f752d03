import type { CertificateView } from './contract';
import { type CertificateDocumentFacts, certificatePdf, qrPng, qrSvg } from './documents';
import type { Ctx } from './messages';
import { loadReadable, type Origin, originOf, verificationUrlOf, viewOf } from './rows';

// ---------------------------------------------------------------- documents

function documentFacts(view: CertificateView): CertificateDocumentFacts {
  return {
    number: view.number,
    version: view.version,
    star: view.star,
    productName: view.product.name,
    subjectName: view.subject.name,
    address: [view.commune?.name, view.province.name].filter(Boolean).join(', '),
    originalAddress: view.originalAddress,
    issuerName: view.issuer.name,
    issuerLevel: view.issuer.level,
    decisionNumber: view.decisionNumber,
    decisionDate: view.decisionDate,
    validFrom: view.validFrom,
    validTo: view.validTo,
    recognitionYear: view.recognitionYear,
    verificationUrl: view.verificationUrl,
  };
}

/** A file name made of the number's safe characters (a number may hold "/"). */
const fileNameOf = (number: string) => number.replace(/[^A-Za-z0-9.-]+/g, '_');

/** The certificate as an A4 PDF, for whoever may read it (the producer prints its own). */
export async function getCertificatePdf({
  ctx,
  input,
}: Ctx & { input: { id: string } & Origin }): Promise<{ fileName: string; pdf: Buffer }> {
  const view = await viewOf(ctx, originOf(ctx, input), await loadReadable(ctx, input.id));
  return {
    fileName: `giay-chung-nhan-ocop-${fileNameOf(view.number)}.pdf`,
    pdf: await certificatePdf(documentFacts(view)),
  };
}

/** The QR code to the verification page, PNG at 300 dpi or SVG, sized for print in millimetres. */
export async function getCertificateQr({
  ctx,
  input,
}: Ctx & { input: { id: string; mm: number; format: 'png' | 'svg' } & Origin }): Promise<{
  fileName: string;
  body: Buffer | string;
}> {
  const row = await loadReadable(ctx, input.id);
  const url = await verificationUrlOf(ctx.database.db, originOf(ctx, input), row.number);
  const fileName = `ocop-qr-${fileNameOf(row.number)}-${input.mm}mm.${input.format}`;
  return { fileName, body: input.format === 'png' ? await qrPng(url, input.mm) : await qrSvg(url, input.mm) };
}

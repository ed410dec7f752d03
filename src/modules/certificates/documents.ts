import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { pdfFonts, starPoints } from '../../server/pdf';
import { issuerLevelLabels } from './rules';

/**
 * Printable documents of a certificate: the A4 certificate (PDF) and the product's QR code (PNG,
 * SVG) pointing at the signed verification address, in the fonts and drawn stars of `src/server/pdf.ts`.
 */

/** Print resolution of the PNG QR code; the SVG scales to any size. */
export const QR_DPI = 300;
/** Quiet zone of 4 modules, as ISO/IEC 18004 asks, so phones find the code on a busy label. */
const QR_MARGIN = 4;

export type CertificateDocumentFacts = {
  number: string;
  version: number;
  star: number;
  productName: string;
  subjectName: string;
  address: string;
  originalAddress: string | null;
  issuerName: string;
  issuerLevel: keyof typeof issuerLevelLabels;
  decisionNumber: string;
  /** Null (all three) when the registry gave only `recognitionYear`: the validity is then unknown. */
  decisionDate: string | null;
  validFrom: string | null;
  validTo: string | null;
  recognitionYear: number | null;
  verificationUrl: string;
};

const vnDate = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
};

export async function qrPng(url: string, millimetres: number): Promise<Buffer> {
  const width = Math.round((millimetres / 25.4) * QR_DPI);
  return QRCode.toBuffer(url, { type: 'png', width, margin: QR_MARGIN, errorCorrectionLevel: 'M' });
}

export async function qrSvg(url: string, millimetres: number): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: QR_MARGIN, errorCorrectionLevel: 'M' });
  // Physical size on the root element, so a print shop's software places it at the intended size.
  return svg.replace('<svg ', `<svg width="${millimetres}mm" height="${millimetres}mm" `);
}

/** The certificate on one A4 landscape page. */
export async function certificatePdf(c: CertificateDocumentFacts): Promise<Buffer> {
  const { regular, bold } = pdfFonts();
  const qr = await qrPng(c.verificationUrl, 30);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 40,
    info: { Title: `Giấy chứng nhận OCOP ${c.number}`, Subject: c.productName, Author: c.issuerName },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const { width, height } = doc.page;
  const inner = { x: 40, y: 40, w: width - 80, h: height - 80 };
  doc
    .lineWidth(3)
    .strokeColor('#8a6200')
    .rect(28, 28, width - 56, height - 56)
    .stroke();
  doc
    .lineWidth(1)
    .rect(36, 36, width - 72, height - 72)
    .stroke();

  const centred = (text: string, font: string, size: number, color = '#1b1b1b', gap = 4) => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(text, inner.x, doc.y, { width: inner.w, align: 'center' });
    doc.moveDown(gap / size);
  };

  // Issuer on the left, the national motto on the right, as official documents are laid out.
  const half = inner.w / 2 - 10;
  doc.font('bold').fontSize(11).fillColor('#1b1b1b');
  doc.text(c.issuerName.toUpperCase(), inner.x, inner.y + 8, { width: half, align: 'center' });
  doc
    .font('regular')
    .fontSize(10)
    .text(`Số: ${c.number}${c.version > 1 ? ` (đính chính lần ${c.version - 1})` : ''}`, {
      width: half,
      align: 'center',
    });
  doc
    .font('bold')
    .fontSize(11)
    .text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', inner.x + half + 20, inner.y + 8, {
      width: half,
      align: 'center',
    });
  doc.font('bold').fontSize(11).text('Độc lập - Tự do - Hạnh phúc', { width: half, align: 'center' });

  doc.y = inner.y + 80;
  centred('GIẤY CHỨNG NHẬN', 'bold', 30, '#b3261e', 6);
  centred(`SẢN PHẨM OCOP ĐẠT HẠNG ${c.star} SAO`, 'bold', 18, '#0f5132', 10);

  // Stars as filled polygons: no font has to carry the glyph.
  const starRadius = 16;
  const spacing = 42;
  const firstX = width / 2 - ((c.star - 1) * spacing) / 2;
  const starY = doc.y + starRadius;
  for (let i = 0; i < c.star; i++) {
    doc.polygon(...starPoints(firstX + i * spacing, starY, starRadius)).fillAndStroke('#e0a100', '#8a6200');
  }
  doc.y = starY + starRadius + 14;

  centred('Chứng nhận sản phẩm', 'regular', 13);
  centred(c.productName, 'bold', 24, '#1b1b1b', 8);
  centred(`Chủ thể: ${c.subjectName}`, 'regular', 13);
  centred(`Địa chỉ: ${c.address}`, 'regular', 12);
  if (c.originalAddress) centred(`Địa chỉ khi công nhận: ${c.originalAddress}`, 'regular', 11, '#444');
  doc.moveDown(0.4);
  centred(
    // An imported registry may lack the number: the certificate says so rather than print a gap.
    `Đạt hạng ${c.star} sao theo Quyết định ${c.decisionNumber ? `số ${c.decisionNumber}` : '(chưa có số quyết định)'} ${c.decisionDate ? `ngày ${vnDate(c.decisionDate)}` : `năm ${c.recognitionYear ?? ''} (chưa rõ ngày)`} của ${c.issuerName}.`,
    'regular',
    12,
  );
  centred(
    // A year-only record: no end is computed from a guessed day.
    c.validFrom && c.validTo
      ? `Giấy chứng nhận có hiệu lực từ ngày ${vnDate(c.validFrom)} đến hết ngày ${vnDate(c.validTo)}.`
      : 'Hiệu lực: không rõ — cần ngày quyết định.',
    'bold',
    12,
  );

  const qrSize = (30 / 25.4) * 72;
  const qrX = inner.x + inner.w - qrSize - 8;
  const qrY = inner.y + inner.h - qrSize - 24;
  doc.image(qr, qrX, qrY, { width: qrSize, height: qrSize });
  doc
    .font('regular')
    .fontSize(8)
    .fillColor('#444')
    .text('Quét mã để xác thực', qrX - 20, qrY + qrSize + 2, { width: qrSize + 40, align: 'center' });
  doc
    .font('regular')
    .fontSize(9)
    .fillColor('#444')
    .text(issuerLevelLabels[c.issuerLevel].vi, inner.x + 8, qrY + qrSize - 10, { width: inner.w / 2 });

  doc.end();
  return done;
}

import zlib from 'node:zlib';
import sharp from 'sharp';

/**
 * Evidence files built from bytes for the upload checks: PDFs (plain objects, compressed object
 * streams, active content written plainly or with `#xx` escapes), PNGs and JPEGs with what a
 * hostile or careless upload carries (appended HTML, a huge declared size, GPS in EXIF).
 */

type Part = string | Buffer;
const bytes = (part: Part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part);

/**
 * A PDF whose objects are numbered from 1 in the order given, with a cross-reference table and
 * trailer pointing at the catalog (object 1 unless `root` says). Each object is its body (`<< … >>`, optionally
 * followed by a stream) without `n 0 obj`/`endobj`.
 */
export function buildPdf(
  objects: Part[][],
  options: { root?: number; trailer?: string; after?: Part } = {},
): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  const push = (part: Part) => {
    const b = bytes(part);
    parts.push(b);
    length += b.length;
  };
  objects.forEach((object, index) => {
    offsets.push(length);
    push(`${index + 1} 0 obj\n`);
    for (const part of object) push(part);
    push('\nendobj\n');
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  push(
    `trailer\n<< /Size ${objects.length + 1} /Root ${options.root ?? 1} 0 R ${options.trailer ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`,
  );
  if (options.after !== undefined) push(options.after);
  return Buffer.concat(parts);
}

/** A stream object: its dictionary entries (without /Length) and data, /Length written direct. */
export function stream(entries: string, data: Buffer | string): Part[] {
  const body = bytes(data);
  return [`<< ${entries} /Length ${body.length} >>\nstream\n`, body, '\nendstream'];
}

/** A compressed object stream (`/Type /ObjStm`, FlateDecode) holding the given objects as numbers from `first`. */
export function objectStream(
  objects: string[],
  first: number,
  options: { filter?: string; extra?: string; compress?: (b: Buffer) => Buffer } = {},
): Part[] {
  let offset = 0;
  const header: string[] = [];
  const bodies: string[] = [];
  objects.forEach((object, index) => {
    header.push(`${first + index} ${offset}`);
    bodies.push(object);
    offset += object.length + 1;
  });
  const head = `${header.join(' ')}\n`;
  const content = Buffer.from(head + bodies.join('\n'), 'latin1');
  const compress = options.compress ?? ((b: Buffer) => zlib.deflateSync(b));
  return stream(
    `/Type /ObjStm /N ${objects.length} /First ${head.length} /Filter ${options.filter ?? '/FlateDecode'} ${options.extra ?? ''}`,
    compress(content),
  );
}

const PAGE_OBJECTS: Part[][] = [
  ['<< /Type /Catalog /Pages 2 0 R >>'],
  ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
  ['<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'],
  stream('', 'BT /F1 12 Tf 72 720 Td (Phieu dang ky) Tj ET'),
];

/** A one-page PDF with nothing active: what a producer's scanner or "print to PDF" writes. */
export function cleanPdf(): Buffer {
  return buildPdf(PAGE_OBJECTS);
}

/** A one-page PDF whose catalog carries `catalogExtra` (e.g. `/OpenAction 5 0 R`) and extra objects from 5 on. */
export function pdfWith(
  catalogExtra: string,
  extraObjects: Part[][] = [],
  options: { after?: Part } = {},
): Buffer {
  return buildPdf(
    [[`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`], ...PAGE_OBJECTS.slice(1), ...extraObjects],
    options,
  );
}

/**
 * The same one-page PDF with the catalog (object 5) and `hidden` objects (6 on) inside a compressed
 * object stream (object 1), the way PDF 1.5+ writers store dictionaries; the cross-reference is a
 * plain table here, which is enough for the checks (they read names, not offsets).
 */
export function pdfWithObjectStream(catalogExtra: string, hidden: string[] = []): Buffer {
  return buildPdf(
    [
      objectStream([`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, ...hidden], 5),
      ...PAGE_OBJECTS.slice(1),
    ],
    { root: 5 },
  );
}

/** The name with its second character written as a `#xx` escape: /JavaScript → /J#61vaScript. */
export function hexEscaped(name: string): string {
  const second = name.charCodeAt(2).toString(16).padStart(2, '0');
  return `${name.slice(0, 2)}#${second}${name.slice(3)}`;
}

/**
 * Each kind of active content as a catalog entry (and the objects it refers to, numbered from 5),
 * with the name the check must report.
 */
export const ACTIVE_CONTENT: { label: string; catalog: string; feature: string; name: string }[] = [
  {
    label: 'JavaScript run on opening',
    catalog: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >>',
    feature: 'openAction',
    name: '/OpenAction',
  },
  {
    label: 'an action object run on opening',
    catalog: '/OpenAction 9 0 R',
    feature: 'openAction',
    name: '/OpenAction',
  },
  {
    label: 'a document-level JavaScript',
    catalog: '/Names << /JavaScript 9 0 R >>',
    feature: 'javascript',
    name: '/JavaScript',
  },
  { label: 'a JS entry', catalog: '/Foo << /JS (this.print()) >>', feature: 'javascript', name: '/JS' },
  { label: 'additional actions', catalog: '/AA << /WC 9 0 R >>', feature: 'additionalActions', name: '/AA' },
  {
    label: 'a Launch action',
    catalog: '/Foo << /S /Launch /F (cmd.exe) >>',
    feature: 'launch',
    name: '/Launch',
  },
  {
    label: 'an embedded file',
    catalog: '/Foo << /Type /EmbeddedFile >>',
    feature: 'embeddedFile',
    name: '/EmbeddedFile',
  },
  {
    label: 'embedded files in the name tree',
    catalog: '/Names << /EmbeddedFiles 9 0 R >>',
    feature: 'embeddedFile',
    name: '/EmbeddedFiles',
  },
  {
    label: 'a file specification with an embedded stream',
    catalog: '/Foo << /Type /Filespec /F (a.exe) /EF << /F 9 0 R >> >>',
    feature: 'embeddedFile',
    name: '/EF',
  },
  {
    label: 'rich media',
    catalog: '/Foo << /Subtype /RichMedia >>',
    feature: 'richMedia',
    name: '/RichMedia',
  },
  { label: 'an XFA form', catalog: '/AcroForm << /Fields [] /XFA 9 0 R >>', feature: 'xfa', name: '/XFA' },
  {
    label: 'a form submission',
    catalog: '/Foo << /S /SubmitForm /F (http://example.invalid/) >>',
    feature: 'formSubmission',
    name: '/SubmitForm',
  },
  {
    label: 'a form data import',
    catalog: '/Foo << /S /ImportData /F (data.fdf) >>',
    feature: 'formSubmission',
    name: '/ImportData',
  },
];

/** The entry with its reported name hex-escaped (`/J#61vaScript`). */
export function escapedEntry(entry: (typeof ACTIVE_CONTENT)[number]): { catalog: string; name: string } {
  const name = hexEscaped(entry.name);
  return { catalog: entry.catalog.replace(entry.name, name), name };
}

// ---------- images ----------

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A PNG that declares `width`×`height` RGB pixels but carries almost no data: a decompression bomb's header. */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const APPENDED_HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

export async function smallPng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 20, g: 120, b: 60, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

export async function smallJpeg(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c0392b' } })
    .jpeg()
    .toBuffer();
}

/**
 * An EXIF APP1 segment written by hand: IFD0 points at a GPS IFD holding latitude 21°1'30" N
 * and longitude 105°51'0" E (Hà Nội) — where a phone photo of a document was taken.
 */
export function gpsExifSegment(): Buffer {
  const tiff = Buffer.alloc(128);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 at 8
  // IFD0: one entry, GPSInfo (0x8825, LONG) → GPS IFD at 26
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x8825, 10);
  tiff.writeUInt16BE(4, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  // GPS IFD at 26: four entries (2 + 4×12 + 4 = 54 bytes), rationals from 80
  const entries: [number, number, number, number | string][] = [
    [0x0001, 2, 2, 'N'], // GPSLatitudeRef ASCII "N\0"
    [0x0002, 5, 3, 80], // GPSLatitude RATIONAL×3 at 80
    [0x0003, 2, 2, 'E'], // GPSLongitudeRef
    [0x0004, 5, 3, 104], // GPSLongitude at 104
  ];
  tiff.writeUInt16BE(entries.length, 26);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 28 + i * 12;
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    if (typeof value === 'string') tiff.write(value, at + 8, 'latin1');
    else tiff.writeUInt32BE(value, at + 8);
  });
  tiff.writeUInt32BE(0, 28 + entries.length * 12);
  const rationals = [21, 1, 1, 1, 30, 1, 105, 1, 51, 1, 0, 1];
  rationals.forEach((n, i) => {
    tiff.writeUInt32BE(n, 80 + i * 4);
  });
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = 0xe1;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A JPEG carrying GPS coordinates in EXIF (the segment right after the start-of-image marker). */
export async function jpegWithGps(): Promise<Buffer> {
  const jpeg = await smallJpeg();
  return Buffer.concat([jpeg.subarray(0, 2), gpsExifSegment(), jpeg.subarray(2)]);
}

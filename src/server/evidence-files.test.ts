import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CONTENT,
  APPENDED_HTML,
  buildPdf,
  cleanPdf,
  escapedEntry,
  objectStream,
  pdfWith,
  pdfWithObjectStream,
  stream,
} from '../../tests/support/evidence-fixtures';
import { PDF_LIMITS, type PdfProblem, pdfProblem, pdfProblemMessage } from './evidence-files';

function pdfkitDocument(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: 'Giấy chứng nhận /JavaScript (/AA)' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Phiếu kết quả kiểm nghiệm /JS /OpenAction');
    doc.link(72, 72, 100, 20, 'https://ocop.gov.vn/');
    doc.end();
  });
}

describe('pdfProblem on clean files', () => {
  it('accepts a plain one-page PDF, the same with a compressed object stream, and one written by pdfkit', async () => {
    expect(await pdfProblem(cleanPdf())).toBeNull();
    expect(
      await pdfProblem(pdfWithObjectStream('/PageMode /UseNone', ['<< /Producer (scanner) >>'])),
    ).toBeNull();
    expect(await pdfProblem(await pdfkitDocument())).toBeNull();
    // The minimal files the other API tests upload.
    expect(await pdfProblem(Buffer.from('%PDF-1.4\n%%EOF\n'))).toBeNull();
  });

  it('accepts an /OpenAction that only shows a page, as office suites and LaTeX write', async () => {
    expect(await pdfProblem(pdfWith('/OpenAction [3 0 R /XYZ null null 0]'))).toBeNull();
    expect(await pdfProblem(pdfWithObjectStream('/OpenAction [3 0 R /Fit]'))).toBeNull();
    expect(await pdfProblem(pdfWith('/OpenAction << /S /GoTo /D [3 0 R /Fit] >>'))).toBeNull();
    expect(await pdfProblem(pdfWith('/OpenAction 5 0 R', [['[3 0 R /Fit]']]))).toBeNull();
    // pdfTeX with hyperref: a GoTo action as its own object inside an object stream.
    expect(
      await pdfProblem(pdfWithObjectStream('/OpenAction 6 0 R', ['<< /S /GoTo /D [7 0 R /Fit] >>'])),
    ).toBeNull();
    expect(await pdfProblem(pdfWithObjectStream('/OpenAction 6 0 R', ['[3 0 R /FitH 842]']))).toBeNull();
  });

  it('refuses an /OpenAction that runs an action: direct, by reference, to nothing, or redefined later', async () => {
    const openAction = { kind: 'activeContent', feature: 'openAction', name: '/OpenAction' };
    expect(await pdfProblem(pdfWith('/OpenAction 5 0 R', [['<< /S /Named /N /Print >>']]))).toMatchObject(
      openAction,
    );
    expect(await pdfProblem(pdfWith('/OpenAction << /S /URI /URI (http://x.invalid/) >>'))).toMatchObject(
      openAction,
    );
    expect(
      await pdfProblem(pdfWith('/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /Named /N /Print >> >>')),
    ).toMatchObject(openAction);
    expect(await pdfProblem(pdfWith('/OpenAction 15 0 R', [['[3 0 R /Fit]']]))).toMatchObject(openAction);
    expect(
      await pdfProblem(pdfWithObjectStream('/OpenAction 6 0 R', ['<< /S /URI /URI (http://x.invalid) >>'])),
    ).toMatchObject({ ...openAction, inObjectStream: true });
    const updated = Buffer.concat([
      pdfWith('/OpenAction 5 0 R', [['[3 0 R /Fit]']]),
      Buffer.from(
        '5 0 obj\n<< /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      ),
    ]);
    expect(await pdfProblem(updated)).toMatchObject(openAction);
  });

  it('does not read names in strings, comments or the data of ordinary streams', async () => {
    const pdf = pdfWith(
      '/Lang (vi /JavaScript /AA) % /OpenAction << /S /Launch >>\n/constructor /toString 1',
      [
        stream(
          '/Subtype /Image /Width 1 /Height 1',
          Buffer.from('\x00/JS /AA /Launch <</S/JavaScript>>\xff', 'latin1'),
        ),
        // a /Length given as a reference: the end is found by the keyword
        ['<< /Length 7 0 R >>\nstream\nbinary /EmbeddedFile data\nendstream'],
        ['25'],
      ],
    );
    expect(await pdfProblem(pdf)).toBeNull();
  });

  it('accepts white space and NUL padding after %%EOF', async () => {
    expect(await pdfProblem(pdfWith('', [], { after: '\r\n\0\0\0 \n' }))).toBeNull();
  });
});

describe('pdfProblem on active content', () => {
  const expected = (feature: string, name: string, inObjectStream: boolean): PdfProblem =>
    ({ kind: 'activeContent', feature, name, inObjectStream }) as PdfProblem;

  for (const entry of ACTIVE_CONTENT) {
    it(`refuses ${entry.label} written plainly, hex-escaped, and inside a compressed object stream`, async () => {
      expect(await pdfProblem(pdfWith(entry.catalog))).toEqual(expected(entry.feature, entry.name, false));
      const escaped = escapedEntry(entry);
      expect(escaped.name).toContain('#');
      expect(await pdfProblem(pdfWith(escaped.catalog))).toEqual(
        expected(entry.feature, escaped.name, false),
      );
      expect(await pdfProblem(pdfWithObjectStream(entry.catalog))).toEqual(
        expected(entry.feature, entry.name, true),
      );
      expect(await pdfProblem(pdfWithObjectStream(escaped.catalog))).toEqual(
        expected(entry.feature, escaped.name, true),
      );
    });
  }

  it('finds /J#61vaScript hidden in a second object of an object stream with a filter array', async () => {
    const pdf = buildPdf([
      ['<< /Type /Catalog /Pages 2 0 R >>'],
      ['<< /Type /Pages /Kids [] /Count 0 >>'],
      objectStream(['<< /Producer (x) >>', '<< /S /J#61vaScript /JS 9 0 R >>'], 4, {
        filter: '[/FlateDecode]',
      }),
    ]);
    expect(await pdfProblem(pdf)).toEqual(expected('javascript', '/J#61vaScript', true));
  });

  it('finds an object stream without /Type by its /N and /First, and one compressed twice', async () => {
    const untyped = buildPdf([
      ['<< /Type /Catalog /Pages 2 0 R >>'],
      ['<< /Type /Pages /Kids [] /Count 0 >>'],
      stream('/N 1 /First 4 /Filter /FlateDecode', zlib.deflateSync('4 0\n<< /S /Launch >>')),
    ]);
    expect(await pdfProblem(untyped)).toEqual(expected('launch', '/Launch', true));
    const twice = buildPdf([
      ['<< /Type /Catalog /Pages 2 0 R >>'],
      objectStream(['<< /AA << >> >>'], 3, {
        filter: '[/FlateDecode /Fl]',
        compress: (b) => zlib.deflateSync(zlib.deflateSync(b)),
      }),
    ]);
    expect(await pdfProblem(twice)).toEqual(expected('additionalActions', '/AA', true));
  });

  it('reads an object that a string, hex string or comment seems to swallow, as a reader seeking it would', async () => {
    // Bytes no object owns, then an object a cross-reference table points at: a reader parses it.
    const hidden = (garbage: string, object: string) => {
      const clean = cleanPdf();
      const at = clean.indexOf('xref');
      return Buffer.concat([clean.subarray(0, at), Buffer.from(garbage + object), clean.subarray(at)]);
    };
    for (const garbage of ['(unclosed ', '(balanced ', '<not hex ', '% a comment line ']) {
      const tail = garbage.startsWith('(balanced') ? ')' : '';
      const plain = hidden(garbage, `9 0 obj << /S /Launch /F (a.exe) >> endobj${tail}\n`);
      expect(await pdfProblem(plain), garbage).toEqual(expected('launch', '/Launch', false));
      const packed = Buffer.concat([
        Buffer.from(garbage),
        Buffer.from('9 0obj\n'),
        ...objectStream(['<< /S /JavaScript >>'], 10).map((p) => Buffer.from(p as string | Buffer)),
        Buffer.from(`\nendobj${tail}\n`),
      ]);
      const clean = cleanPdf();
      const at = clean.indexOf('xref');
      const inStream = Buffer.concat([clean.subarray(0, at), packed, clean.subarray(at)]);
      expect(await pdfProblem(inStream), garbage).toEqual(expected('javascript', '/JavaScript', true));
    }
  });

  it('reads objects inside a stream that is not one for the reader (data in bytes no object owns)', async () => {
    const clean = cleanPdf();
    const at = clean.indexOf('xref');
    const fake = Buffer.concat([
      clean.subarray(0, at),
      Buffer.from('<< /Length 5 >> stream\nxxxx\n'),
      Buffer.from('9 0 obj\n'),
      ...objectStream(['<< /AA << /O 3 0 R >> >>'], 10).map((p) => Buffer.from(p as string | Buffer)),
      Buffer.from('\nendobj\n'),
      clean.subarray(at),
    ]);
    expect(await pdfProblem(fake)).toEqual(expected('additionalActions', '/AA', true));
  });

  it('is not blinded by a `stream` keyword inside a string, nor by objects hidden in stream data', async () => {
    const fakeStream = pdfWith('/Title (stream) /Subject (endstream)', [['<< /S /JavaScript >>']]);
    expect(await pdfProblem(fakeStream)).toEqual(expected('javascript', '/JavaScript', false));
    // A reader rebuilding a broken cross-reference table finds `12 0 obj` inside stream data.
    const inData = pdfWith('', [
      stream('/Subtype /Image', 'xx\n12 0 obj\n<< /S /Launch /F (a.exe) >>\nendobj\n'),
    ]);
    expect(await pdfProblem(inData)).toEqual(expected('launch', '/Launch', false));
  });
});

describe('pdfProblem on the file frame', () => {
  it('refuses a file without the %PDF- header or without %%EOF near the end', async () => {
    expect(await pdfProblem(Buffer.from('<html>%PDF-1.4\n%%EOF\n'))).toEqual({ kind: 'notPdf' });
    expect(await pdfProblem(cleanPdf().subarray(0, -7))).toEqual({ kind: 'noEof' });
    const junk = Buffer.alloc(PDF_LIMITS.eofWindow + 1, 0x01);
    expect(await pdfProblem(pdfWith('', [], { after: junk }))).toEqual({ kind: 'noEof' });
  });

  it('refuses HTML or script after the last %%EOF', async () => {
    expect(await pdfProblem(pdfWith('', [], { after: APPENDED_HTML }))).toEqual({ kind: 'markupAfterEof' });
    expect(await pdfProblem(pdfWith('', [], { after: '\n\0<!DOCTYPE html>' }))).toEqual({
      kind: 'markupAfterEof',
    });
    expect(await pdfProblem(pdfWith('', [], { after: ' javascript:alert(1)' }))).toEqual({
      kind: 'markupAfterEof',
    });
    // HTML bigger than the window is still named as HTML.
    const long = Buffer.concat([APPENDED_HTML, Buffer.alloc(4000, 0x20)]);
    expect(await pdfProblem(pdfWith('', [], { after: long }))).toEqual({ kind: 'markupAfterEof' });
  });

  it('refuses a stream that never ends', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 99 >>\nstream\nabc /JS\n%%EOF\n', 'latin1');
    expect(await pdfProblem(pdf)).toEqual({ kind: 'unterminatedStream' });
  });
});

describe('pdfProblem on object streams it cannot read', () => {
  it('refuses object streams that inflate past the limit, one alone or several together', async () => {
    const bomb = Buffer.alloc(PDF_LIMITS.maxInflatedBytes + 1024 * 1024, 0x20);
    const pdf = buildPdf([['<< /Type /Catalog >>'], objectStream([bomb.toString('latin1')], 2)]);
    expect(pdf.length).toBeLessThan(PDF_LIMITS.maxInflatedBytes / 100);
    expect(await pdfProblem(pdf)).toEqual({ kind: 'tooComplex' });
    // Many small streams count together.
    const half = Buffer.alloc(PDF_LIMITS.maxInflatedBytes / 2 + 1, 0x20).toString('latin1');
    const many = buildPdf([['<< /Type /Catalog >>'], objectStream([half], 3), objectStream([half], 4)]);
    expect(await pdfProblem(many)).toEqual({ kind: 'tooComplex' });
  });

  it('refuses nesting deeper than the limit and more object streams than the limit', async () => {
    const deep = pdfWith(`/Foo ${'['.repeat(PDF_LIMITS.maxDepth)}${']'.repeat(PDF_LIMITS.maxDepth)}`);
    expect(await pdfProblem(deep)).toEqual({ kind: 'tooComplex' });
    expect(await pdfProblem(pdfWith(`/Foo ${'[['.repeat(20)}${']]'.repeat(20)}`))).toBeNull();
    const empty = '<< /Type /ObjStm /N 0 /First 0 /Length 0 >>\nstream\n\nendstream\n';
    const clean = cleanPdf();
    const at = clean.indexOf('1 0 obj');
    const many = Buffer.concat([
      clean.subarray(0, at),
      Buffer.from(empty.repeat(PDF_LIMITS.maxObjectStreams + 1)),
      clean.subarray(at),
    ]);
    expect(await pdfProblem(many)).toEqual({ kind: 'tooComplex' });
  });

  it('refuses unsupported filters, predictors and damaged data instead of passing them unread', async () => {
    const hex = buildPdf([
      ['<< /Type /Catalog >>'],
      objectStream(['<< /S /JavaScript >>'], 2, {
        filter: '/ASCIIHexDecode',
        compress: (b) => Buffer.from(`${b.toString('hex')}>`),
      }),
    ]);
    expect(await pdfProblem(hex)).toEqual({ kind: 'unreadableObjectStream', encrypted: false });
    const predictor = buildPdf([
      ['<< /Type /Catalog >>'],
      objectStream(['<< >>'], 2, { extra: '/DecodeParms << /Predictor 12 /Columns 4 >>' }),
    ]);
    expect(await pdfProblem(predictor)).toEqual({ kind: 'unreadableObjectStream', encrypted: false });
    const damaged = buildPdf([
      ['<< /Type /Catalog >>'],
      objectStream(['<< >>'], 2, { compress: () => Buffer.from('not zlib at all') }),
    ]);
    expect(await pdfProblem(damaged)).toEqual({ kind: 'unreadableObjectStream', encrypted: false });
  });

  it('refuses an encrypted file with object streams (they cannot be read without the key)', async () => {
    const pdf = buildPdf(
      [['<< /Type /Catalog >>'], objectStream(['<< >>'], 2), ['<< /Filter /Standard >>']],
      {
        trailer: '/Encrypt 3 0 R',
      },
    );
    expect(await pdfProblem(pdf)).toEqual({ kind: 'unreadableObjectStream', encrypted: true });
    // Without object streams every name is still in the clear.
    const plain = buildPdf([['<< /Type /Catalog >>'], ['<< /Filter /Standard >>']], {
      trailer: '/Encrypt 2 0 R',
    });
    expect(await pdfProblem(plain)).toBeNull();
  });
});

describe('pdfProblemMessage', () => {
  it('says what was found and how to fix it, in Vietnamese and English', () => {
    const message = pdfProblemMessage({
      kind: 'activeContent',
      feature: 'javascript',
      name: '/J#61vaScript',
      inObjectStream: true,
    });
    expect(message.vi).toContain('JavaScript (/J#61vaScript, trong một luồng đối tượng nén)');
    expect(message.vi).toContain('in lại ra PDF');
    expect(message.en).toContain('JavaScript code (/J#61vaScript, inside a compressed object stream)');
    expect(message.en).toContain('print it to PDF again');
    const kinds: PdfProblem[] = [
      { kind: 'notPdf' },
      { kind: 'noEof' },
      { kind: 'markupAfterEof' },
      { kind: 'unterminatedStream' },
      { kind: 'tooComplex' },
      { kind: 'unreadableObjectStream', encrypted: true },
      { kind: 'unreadableObjectStream', encrypted: false },
    ];
    const texts = kinds.map(pdfProblemMessage);
    for (const text of texts) {
      expect(text.vi.length).toBeGreaterThan(40);
      expect(text.en.length).toBeGreaterThan(40);
    }
    expect(new Set(texts.map((t) => t.en)).size).toBe(kinds.length);
    expect(pdfProblemMessage({ kind: 'tooComplex' }).en).toContain('64 MB');
  });
});

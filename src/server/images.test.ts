import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  APPENDED_HTML,
  jpegWithGps,
  pngDeclaring,
  smallJpeg,
  smallPng,
} from '../../tests/support/evidence-fixtures';
import { declaredImageSize, IMAGE_LIMITS, ImageDecodeError, reencodeImage } from './images';

async function refusal(input: Buffer): Promise<string> {
  try {
    await reencodeImage(input, { format: 'png' });
  } catch (error) {
    expect(error).toBeInstanceOf(ImageDecodeError);
    return (error as ImageDecodeError).reason;
  }
  throw new Error('the image was accepted');
}

describe('declaredImageSize', () => {
  it('reads the size a PNG or JPEG declares without decoding it', async () => {
    expect(declaredImageSize(pngDeclaring(30_000, 30_000))).toEqual({ width: 30_000, height: 30_000 });
    expect(declaredImageSize(await smallPng(64, 48))).toEqual({ width: 64, height: 48 });
    expect(declaredImageSize(await smallJpeg(70, 50))).toEqual({ width: 70, height: 50 });
    // EXIF before the frame header is skipped over.
    expect(declaredImageSize(await jpegWithGps())).toEqual({ width: 64, height: 48 });
  });

  it('answers null for what is not a PNG or JPEG header', () => {
    expect(declaredImageSize(Buffer.from('%PDF-1.4'))).toBeNull();
    expect(declaredImageSize(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
    expect(declaredImageSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeNull();
  });
});

describe('reencodeImage', () => {
  it('refuses a decompression bomb from its declared size, before decoding', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    expect(30_000 * 30_000).toBeGreaterThan(IMAGE_LIMITS.maxInputPixels);
    const started = performance.now();
    expect(await refusal(bomb)).toBe('tooManyPixels');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses what does not decode cleanly: truncated, or only a signature', async () => {
    const png = await smallPng();
    expect(await refusal(png.subarray(0, png.length - 30))).toBe('undecodable');
    expect(await refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]))).toBe(
      'undecodable',
    );
    const jpeg = await smallJpeg();
    expect(await refusal(jpeg.subarray(0, jpeg.length / 2))).toBe('undecodable');
  });

  it('drops bytes appended after the image (a PNG followed by HTML), keeping the pixels', async () => {
    const png = await smallPng(64, 48);
    const result = await reencodeImage(Buffer.concat([png, APPENDED_HTML]), { format: 'png' });
    expect(result.data.includes('<html>')).toBe(false);
    expect(result.data.includes('<script>')).toBe(false);
    expect({ width: result.width, height: result.height }).toEqual({ width: 64, height: 48 });
    const meta = await sharp(result.data).metadata();
    expect(meta.format).toBe('png');
    expect(meta.hasAlpha).toBe(true);
    const [before, after] = await Promise.all([
      sharp(png).raw().toBuffer(),
      sharp(result.data).raw().toBuffer(),
    ]);
    expect(after).toEqual(before);
  });

  it('strips EXIF, GPS included', async () => {
    const input = await jpegWithGps();
    // The fixture really carries GPS: the decoder reads the coordinates' IFD.
    expect((await sharp(input).metadata()).exif?.includes('Exif')).toBe(true);
    const result = await reencodeImage(input, { format: 'jpeg', quality: 90 });
    expect((await sharp(result.data).metadata()).exif).toBeUndefined();
    expect(result.data.includes('Exif')).toBe(false);
    expect(result.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('scales down to maxEdge when asked, never up', async () => {
    const png = await smallPng(400, 100);
    expect(await reencodeImage(png, { format: 'jpeg', maxEdge: 200 })).toMatchObject({
      width: 200,
      height: 50,
    });
    expect(await reencodeImage(png, { format: 'jpeg', maxEdge: 1000 })).toMatchObject({
      width: 400,
      height: 100,
    });
  });
});

// tf.node's image codecs (tfjs-node names and defaults): PNG through pngjs and JPEG through jpeg-js, decoded into
// int32 [height, width, channels] tensors and encoded from them; BMP and GIF decoded by ./bmp and ./gif.
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { DTypeError, ShapeError, ValueError } from '../errors';
import { tensor } from '../ops/creation';
import type { Tensor } from '../tensor';
import { summaryFileWriter, tensorBoard } from '../tensorboard';
import { decodeBmpPixels } from './bmp';
import { decodeGifPixels } from './gif';

type Format = 'png' | 'jpeg' | 'bmp' | 'gif';

/** The container format from the first bytes (as tfjs-node's decodeImage sniffs it). */
export function imageFormat(bytes: Uint8Array): Format | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x42, 0x4d)) return 'bmp';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  return null;
}

function checkBytes(op: string, contents: unknown): Uint8Array {
  if (!(contents instanceof Uint8Array)) throw new ValueError(`${op}: 'contents' must be a Uint8Array (or Buffer) of encoded image bytes, got ${contents === null ? 'null' : typeof contents}`);
  return contents;
}

function checkChannels(op: string, channels: unknown): 0 | 1 | 3 | 4 {
  if (channels !== 0 && channels !== 1 && channels !== 3 && channels !== 4) throw new ValueError(`${op}: 'channels' must be 0 (as stored), 1, 3 or 4, got ${JSON.stringify(channels)}`);
  return channels;
}

function checkDtype(op: string, dtype: unknown): void {
  if (dtype !== undefined && dtype !== 'int32') throw new DTypeError(`${op}: 'dtype' must be 'int32', got ${JSON.stringify(dtype)}`);
}

/** RGBA pixels -> `channels` per pixel (1: ITU-R 601 luma; 2: luma and alpha; 3: drop alpha; 4: as is). */
function fromRgba(rgba: Uint8Array, pixels: number, channels: 1 | 2 | 3 | 4): Int32Array {
  const out = new Int32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const r = rgba[4 * p];
    const g = rgba[4 * p + 1];
    const b = rgba[4 * p + 2];
    if (channels <= 2) {
      out[channels * p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (channels === 2) out[2 * p + 1] = rgba[4 * p + 3];
    } else {
      out[channels * p] = r;
      out[channels * p + 1] = g;
      out[channels * p + 2] = b;
      if (channels === 4) out[4 * p + 3] = rgba[4 * p + 3];
    }
  }
  return out;
}

/** Channels a PNG stores: its IHDR colour type (palette images give 3, or 4 when they carry transparency). */
function pngChannels(bytes: Uint8Array): 1 | 2 | 3 | 4 {
  const colorType = bytes[25];
  if (colorType === 0) return 1;
  if (colorType === 4) return 2;
  if (colorType === 2) return 3;
  if (colorType === 6) return 4;
  // palette: transparency lives in a tRNS chunk
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('tRNS') ? 4 : 3;
}

/** int32 [height, width, channels] from PNG bytes (channels 0: as stored). */
export function decodePng(contents: Uint8Array, channels = 0, dtype = 'int32'): Tensor {
  const op = 'decodePng';
  const bytes = checkBytes(op, contents);
  const ch = checkChannels(op, channels);
  checkDtype(op, dtype);
  if (imageFormat(bytes) !== 'png') throw new ValueError(`${op}: the bytes are not a PNG image (bad signature)`);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ValueError(`${op}: invalid PNG data (${(e as Error).message})`);
  }
  const c = ch === 0 ? pngChannels(bytes) : ch;
  return tensor(fromRgba(png.data, png.width * png.height, c), [png.height, png.width, c], { dtype: 'int32' });
}

/** Channels a JPEG stores: the component count of its start-of-frame marker. */
function jpegChannels(bytes: Uint8Array): 1 | 3 {
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return 3;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[i + 9] === 1 ? 1 : 3;
    i += 2 + length;
  }
  return 3;
}

/** int32 [height, width, channels] from JPEG bytes (channels 0: as stored; ratio must be 1). */
export function decodeJpeg(contents: Uint8Array, channels = 0, ratio = 1): Tensor {
  const op = 'decodeJpeg';
  const bytes = checkBytes(op, contents);
  const ch = checkChannels(op, channels);
  if (ratio !== 1) throw new ValueError(`${op}: 'ratio' other than 1 (downscaled decoding) is not supported, got ${ratio}`);
  if (imageFormat(bytes) !== 'jpeg') throw new ValueError(`${op}: the bytes are not a JPEG image (bad signature)`);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } catch (e) {
    throw new ValueError(`${op}: invalid JPEG data (${(e as Error).message})`);
  }
  const c = ch === 0 ? jpegChannels(bytes) : ch === 4 ? 4 : ch;
  return tensor(fromRgba(img.data, img.width * img.height, c), [img.height, img.width, c], { dtype: 'int32' });
}

/** int32 [height, width, channels] from BMP bytes (channels 0: as stored, 3 or 4; 8-bit pixels are gray levels). */
export function decodeBmp(contents: Uint8Array, channels = 0): Tensor {
  const op = 'decodeBmp';
  const bytes = checkBytes(op, contents);
  const ch = checkChannels(op, channels);
  if (imageFormat(bytes) !== 'bmp') throw new ValueError(`${op}: the bytes are not a BMP image (bad signature)`);
  const img = decodeBmpPixels(op, bytes, ch);
  return tensor(Int32Array.from(img.pixels), [img.height, img.width, img.channels], { dtype: 'int32' });
}

/** int32 [frames, height, width, 3] from GIF bytes: every frame, each drawn over the one before (as tfjs-node). */
export function decodeGif(contents: Uint8Array): Tensor {
  const op = 'decodeGif';
  const bytes = checkBytes(op, contents);
  if (imageFormat(bytes) !== 'gif') throw new ValueError(`${op}: the bytes are not a GIF image (bad signature)`);
  const img = decodeGifPixels(op, bytes);
  return tensor(Int32Array.from(img.pixels), [img.frames, img.height, img.width, 3], { dtype: 'int32' });
}

/**
 * Decodes PNG, JPEG, BMP or GIF by its signature. A GIF gives [frames, height, width, 3] when expandAnimations is true
 * (the default, as tfjs-node), else its first frame as [height, width, 3]; GIF ignores `channels`, as tfjs-node does.
 */
export function decodeImage(contents: Uint8Array, channels = 0, dtype = 'int32', expandAnimations = true): Tensor {
  const op = 'decodeImage';
  const bytes = checkBytes(op, contents);
  checkDtype(op, dtype);
  const format = imageFormat(bytes);
  if (format === 'png') return decodePng(bytes, channels, dtype);
  if (format === 'jpeg') return decodeJpeg(bytes, channels);
  if (format === 'bmp') return decodeBmp(bytes, channels);
  if (format === 'gif') {
    if (expandAnimations) return decodeGif(bytes);
    const img = decodeGifPixels(op, bytes, 1);
    return tensor(Int32Array.from(img.pixels), [img.height, img.width, 3], { dtype: 'int32' });
  }
  throw new ValueError(`${op}: unknown image format (expected PNG, JPEG, BMP or GIF bytes)`);
}

/** RGBA bytes of an int32/float32 [height, width, 1|3|4] image with values in [0, 255]. */
async function toRgba(op: string, image: Tensor): Promise<{ width: number; height: number; data: Buffer }> {
  if (!image || (image as Tensor).isTensor !== true) throw new ValueError(`${op}: 'image' must be a Tensor`);
  if (image.rank !== 3 || ![1, 3, 4].includes(image.shape[2])) {
    throw new ShapeError(`${op}: 'image' must have shape [height, width, 1|3|4], got [${image.shape}]`);
  }
  const [height, width, c] = image.shape;
  const values = await image.data();
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const at = (k: number) => Math.max(0, Math.min(255, Math.round(values[p * c + k])));
    const [r, g, b] = c === 1 ? [at(0), at(0), at(0)] : [at(0), at(1), at(2)];
    data[4 * p] = r;
    data[4 * p + 1] = g;
    data[4 * p + 2] = b;
    data[4 * p + 3] = c === 4 ? at(3) : 255;
  }
  return { width, height, data };
}

/** PNG bytes of an [height, width, 1|3|4] image (values clamped to [0, 255]); compression 0-9 (default 1). */
export async function encodePng(image: Tensor, compression = 1): Promise<Uint8Array> {
  const op = 'encodePng';
  if (!Number.isInteger(compression) || compression < 0 || compression > 9) throw new ValueError(`${op}: 'compression' must be an integer in [0, 9], got ${compression}`);
  const { width, height, data } = await toRgba(op, image);
  const c = image.shape[2];
  const png = new PNG({ width, height, colorType: c === 1 ? 0 : c === 3 ? 2 : 6, inputColorType: 6, deflateLevel: compression });
  png.data = data;
  return new Uint8Array(PNG.sync.write(png, { colorType: c === 1 ? 0 : c === 3 ? 2 : 6, inputColorType: 6, deflateLevel: compression }));
}

/** JPEG bytes of an [height, width, 1|3] image (values clamped to [0, 255]); quality 0-100 (default 95). */
export async function encodeJpeg(image: Tensor, format: '' | 'grayscale' | 'rgb' = '', quality = 95): Promise<Uint8Array> {
  const op = 'encodeJpeg';
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) throw new ValueError(`${op}: 'quality' must be an integer in [0, 100], got ${quality}`);
  void format;
  const rgba = await toRgba(op, image);
  return new Uint8Array(jpeg.encode(rgba, quality).data);
}

/** The tf.node namespace. */
export const node = { decodeImage, decodePng, decodeJpeg, decodeBmp, decodeGif, encodePng, encodeJpeg, summaryFileWriter, tensorBoard };

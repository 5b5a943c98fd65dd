// BMP decoding with TensorFlow's DecodeBmp rules (what tfjs-node's decodeBmp runs): uncompressed 8-, 24- or 32-bit
// pixels read from the pixel-data offset, bottom-up unless the height is negative, BGR(A) turned into RGB(A). Written
// here rather than taken from a package because those rules differ from general BMP readers (an 8-bit image is read as
// gray levels, not through its palette, and the file size must match the pixel rows exactly).
import { ValueError } from '../errors';

export interface DecodedBmp {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** height * width * channels bytes, row-major, top row first. */
  pixels: Uint8Array;
}

/** Decodes BMP bytes to `channels` per pixel (0: as stored; 3 or 4 convert; 1 is refused, as TensorFlow does). */
export function decodeBmpPixels(op: string, bytes: Uint8Array, channels: 0 | 1 | 3 | 4): DecodedBmp {
  if (channels === 1) throw new ValueError(`${op}: 'channels' must be 0, 3 or 4 for BMP, got 1`);
  if (bytes.length < 32) throw new ValueError(`${op}: incomplete BMP: the header needs at least 32 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = view.getInt32(10, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getInt16(28, true);
  const stored = bpp / 8;
  if (stored !== 1 && stored !== 3 && stored !== 4) throw new ValueError(`${op}: BMP pixels must have 8, 24 or 32 bits, got ${bpp}`);
  if (width <= 0) throw new ValueError(`${op}: BMP width must be positive, got ${width}`);
  if (rawHeight === 0) throw new ValueError(`${op}: BMP height must be nonzero`);
  if (offset < 0) throw new ValueError(`${op}: BMP pixel data offset must be non-negative, got ${offset}`);
  const height = Math.abs(rawHeight);
  if (width * height >= (2 ** 31 - 1) / 8) throw new ValueError(`${op}: BMP of ${width} x ${height} pixels is too large`);
  const rowBytes = Math.ceil((stored * width) / 4) * 4; // rows are padded to 4 bytes
  const expected = offset + rowBytes * height;
  if (bytes.length !== expected) throw new ValueError(`${op}: BMP size should be header + rows = ${expected} bytes, got ${bytes.length}`);
  const out = (channels === 0 ? stored : channels) as 1 | 3 | 4;
  const pixels = new Uint8Array(width * height * out);
  const topDown = rawHeight < 0;
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const src = row + x * stored;
      const dst = (y * width + x) * out;
      if (stored === 1) {
        pixels.fill(bytes[src], dst, dst + Math.min(out, 3));
      } else {
        pixels[dst] = bytes[src + 2];
        pixels[dst + 1] = bytes[src + 1];
        pixels[dst + 2] = bytes[src];
      }
      if (out === 4) pixels[dst + 3] = stored === 4 ? bytes[src + 3] : 255;
    }
  }
  return { width, height, channels: out, pixels };
}

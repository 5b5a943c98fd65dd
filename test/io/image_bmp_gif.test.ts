// tf.node.decodeBmp / decodeGif (tfjs-node runs TensorFlow's DecodeBmp / DecodeGif; pure-JS tfjs has no tf.node to
// compare with): images are written in the test (bmp-js's encoder, a small BMP writer for the other layouts, omggif's
// GifWriter) from random pixels, and the decoded tensors must hold exactly what TensorFlow's rules give.
import * as tn from '../../lib';
import { GifWriter } from 'omggif';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bmpJs = require('bmp-js') as { encode(img: { data: Buffer; width: number; height: number }): { data: Buffer } };

function randomBytes(n: number, seed: number, below = 256): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s >> 8) % below;
  });
}

/** A BMP with `stored` bytes per pixel (1: gray levels behind a 256-entry palette, 3: BGR, 4: BGRA). */
function writeBmp(pixels: number[], width: number, height: number, stored: 1 | 3 | 4, topDown: boolean): Uint8Array {
  const rowBytes = Math.ceil((stored * width) / 4) * 4;
  const offset = 54 + (stored === 1 ? 1024 : 0);
  const out = Buffer.alloc(offset + rowBytes * height);
  out.write('BM', 0);
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(stored * 8, 28);
  // A palette that is not the identity: TensorFlow ignores it and reads the 8-bit values as gray levels.
  for (let i = 0; i < 256 && stored === 1; i++) out.writeUInt32LE(((255 - i) << 16) | (i << 8), 54 + 4 * i);
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * stored;
      const at = row + x * stored;
      if (stored === 1) out[at] = pixels[p];
      else [out[at], out[at + 1], out[at + 2]] = [pixels[p + 2], pixels[p + 1], pixels[p]];
      if (stored === 4) out[at + 3] = pixels[p + 3];
    }
  }
  return new Uint8Array(out);
}

/** Per pixel, `from` channels -> `to` channels with TensorFlow's BMP rules (gray repeats, alpha 255 when missing). */
function convert(pixels: number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < pixels.length / from; p++) {
    const px = pixels.slice(p * from, p * from + from);
    const rgb = from === 1 ? [px[0], px[0], px[0]] : px.slice(0, 3);
    out.push(...(to === 1 ? [px[0]] : to === 3 ? rgb : [...rgb, from === 4 ? px[3] : 255]));
  }
  return out;
}

describe('decodeBmp', () => {
  test.each([[5, 3], [4, 2], [7, 1]])('bmp-js 24-bit %i x %i (top-down, padded rows) decodes to its RGB pixels', async (w, h) => {
    const rgb = randomBytes(w * h * 3, w * 31 + h);
    const abgr = Buffer.alloc(w * h * 4);
    for (let p = 0; p < w * h; p++) [abgr[4 * p + 1], abgr[4 * p + 2], abgr[4 * p + 3]] = [rgb[3 * p + 2], rgb[3 * p + 1], rgb[3 * p]];
    const bytes = new Uint8Array(bmpJs.encode({ data: abgr, width: w, height: h }).data);
    const img = tn.node.decodeBmp(bytes);
    expect(img.shape).toEqual([h, w, 3]);
    expect(img.dtype).toBe('int32');
    expect(Array.from(await img.data())).toEqual(rgb);
    expect(Array.from(await tn.node.decodeBmp(bytes, 4).data())).toEqual(convert(rgb, 3, 4));
    expect(Array.from(await tn.node.decodeImage(bytes).data())).toEqual(rgb);
  });

  test.each([
    [1, false], [1, true], [3, false], [4, false], [4, true],
  ] as const)('%i byte(s) per pixel, top-down %s, in every channel count', async (stored, topDown) => {
    const [w, h] = [6, 5];
    const px = randomBytes(w * h * stored, stored * 7 + (topDown ? 1 : 0));
    const bytes = writeBmp(px, w, h, stored, topDown);
    const asStored = tn.node.decodeBmp(bytes);
    expect(asStored.shape).toEqual([h, w, stored]);
    expect(Array.from(await asStored.data())).toEqual(px);
    for (const c of [3, 4]) {
      const img = tn.node.decodeBmp(bytes, c);
      expect(img.shape).toEqual([h, w, c]);
      expect(Array.from(await img.data())).toEqual(convert(px, stored, c));
    }
  });

  test('bad BMPs and arguments throw ValueError', () => {
    const good = writeBmp(randomBytes(12, 1), 2, 2, 3, false);
    expect(() => tn.node.decodeBmp(good, 1)).toThrow(/'channels' must be 0, 3 or 4 for BMP/);
    expect(() => tn.node.decodeBmp(good.slice(0, good.length - 1))).toThrow(/BMP size should be header \+ rows = 70 bytes, got 69/);
    const bpp16 = Uint8Array.from(good);
    bpp16[28] = 16;
    expect(() => tn.node.decodeBmp(bpp16)).toThrow(/8, 24 or 32 bits, got 16/);
    expect(() => tn.node.decodeBmp(good.slice(0, 20))).toThrow(tn.ValueError);
    expect(() => tn.node.decodeBmp(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toThrow(/not a BMP image/);
  });
});

describe('decodeGif', () => {
  const [W, H] = [5, 4];
  const palette = (n: number, seed: number): number[] => {
    const v = randomBytes(n * 3, seed);
    return Array.from({ length: n }, (_, i) => (v[3 * i] << 16) | (v[3 * i + 1] << 8) | v[3 * i + 2]);
  };
  const global = palette(8, 3);
  const local = palette(4, 9);
  const frame0 = randomBytes(W * H, 11, 8);
  // Frame 1: a 3 x 2 rectangle at (1, 1) with its own palette; index 2 is transparent.
  const frame1 = randomBytes(6, 13, 4);
  frame1[0] = 2;
  // Frame 2: the whole canvas, index 5 transparent.
  const frame2 = randomBytes(W * H, 17, 8);
  frame2[3] = 5;
  frame2[W * H - 1] = 5;

  function gifBytes(): Uint8Array {
    const buf = new Uint8Array(4096);
    const w = new GifWriter(buf, W, H, { palette: global, loop: 0 });
    w.addFrame(0, 0, W, H, frame0);
    w.addFrame(1, 1, 3, 2, frame1, { palette: local, transparent: 2, disposal: 2 });
    w.addFrame(0, 0, W, H, frame2, { transparent: 5 });
    return buf.slice(0, w.end());
  }

  /** TensorFlow's rule, written out: each frame starts as the previous one and paints its non-transparent pixels. */
  function expected(): number[][] {
    const rgb = (c: number) => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
    const f0 = frame0.flatMap((i) => rgb(global[i]));
    const f1 = [...f0];
    frame1.forEach((i, k) => {
      const [x, y] = [1 + (k % 3), 1 + Math.floor(k / 3)];
      if (i !== 2) f1.splice((y * W + x) * 3, 3, ...rgb(local[i]));
    });
    const f2 = [...f1];
    frame2.forEach((i, p) => {
      if (i !== 5) f2.splice(p * 3, 3, ...rgb(global[i]));
    });
    return [f0, f1, f2];
  }

  test('every frame, drawn over the previous one with transparency and a local palette', async () => {
    const bytes = gifBytes();
    const img = tn.node.decodeGif(bytes);
    expect(img.shape).toEqual([3, H, W, 3]);
    expect(img.dtype).toBe('int32');
    expect(Array.from(await img.data())).toEqual(expected().flat());
    const viaImage = tn.node.decodeImage(bytes);
    expect(viaImage.shape).toEqual([3, H, W, 3]);
    const first = tn.node.decodeImage(bytes, 0, 'int32', false);
    expect(first.shape).toEqual([H, W, 3]);
    expect(Array.from(await first.data())).toEqual(expected()[0]);
  });

  test('transparent pixels of the first frame are black', async () => {
    const buf = new Uint8Array(1024);
    const w = new GifWriter(buf, 2, 2, { palette: [0x102030, 0x405060] });
    w.addFrame(0, 0, 2, 2, [0, 1, 1, 0], { transparent: 1 });
    const img = tn.node.decodeGif(buf.slice(0, w.end()));
    expect(Array.from(await img.data())).toEqual([0x10, 0x20, 0x30, 0, 0, 0, 0, 0, 0, 0x10, 0x20, 0x30]);
  });

  test('bad GIFs throw ValueError', () => {
    const bytes = gifBytes();
    expect(() => tn.node.decodeGif(bytes.slice(0, 6))).toThrow(tn.ValueError);
    expect(() => tn.node.decodeGif(new Uint8Array([0x42, 0x4d, 1, 2]))).toThrow(/not a GIF image/);
    // A 2-colour global palette (6 bytes after the 13-byte header) cut out, and its flag cleared.
    const buf = new Uint8Array(256);
    const w = new GifWriter(buf, 2, 1, { palette: [0x000000, 0xffffff] });
    w.addFrame(0, 0, 2, 1, [0, 1]);
    const withPalette = buf.slice(0, w.end());
    const noPalette = Uint8Array.from([...withPalette.slice(0, 13), ...withPalette.slice(19)]);
    noPalette[10] &= 0x7f;
    expect(() => tn.node.decodeGif(noPalette)).toThrow(/frame 0 has no color table/);
  });
});

// GIF decoding with TensorFlow's DecodeGif rules (what tfjs-node's decodeGif runs): every frame as RGB on the full
// canvas; frame k starts from frame k-1 and draws its own rectangle over it, its transparent pixels keeping what was
// there (black on the first frame); disposal methods are not applied. LZW and interlacing come from omggif.
import { GifReader } from 'omggif';
import { ValueError } from '../errors';

export interface DecodedGif {
  frames: number;
  width: number;
  height: number;
  /** frames * height * width * 3 bytes. */
  pixels: Uint8Array;
}

/** Decodes GIF bytes; `maxFrames` stops early (decodeImage without expandAnimations needs only the first). */
export function decodeGifPixels(op: string, bytes: Uint8Array, maxFrames = Infinity): DecodedGif {
  let reader: GifReader;
  try {
    reader = new GifReader(bytes);
  } catch (e) {
    throw new ValueError(`${op}: invalid GIF data (${(e as Error).message})`);
  }
  const { width, height } = reader;
  const count = Math.min(reader.numFrames(), maxFrames);
  if (count === 0) throw new ValueError(`${op}: the GIF has no image`);
  const area = width * height;
  const canvas = new Uint8Array(area * 4); // RGBA, redrawn frame over frame
  const pixels = new Uint8Array(count * area * 3);
  for (let k = 0; k < count; k++) {
    const f = reader.frameInfo(k);
    if (f.palette_offset === null) throw new ValueError(`${op}: frame ${k} has no color table (neither local nor global)`);
    // TensorFlow clips such a frame to the canvas; omggif would draw it wrapped into the wrong rows, so refuse it.
    if (f.x + f.width > width || f.y + f.height > height) {
      throw new ValueError(`${op}: frame ${k} (${f.width} x ${f.height} at ${f.x}, ${f.y}) extends past the ${width} x ${height} canvas`);
    }
    try {
      reader.decodeAndBlitFrameRGBA(k, canvas);
    } catch (e) {
      throw new ValueError(`${op}: invalid GIF data in frame ${k} (${(e as Error).message})`);
    }
    const base = k * area * 3;
    for (let p = 0; p < area; p++) {
      pixels[base + 3 * p] = canvas[4 * p];
      pixels[base + 3 * p + 1] = canvas[4 * p + 1];
      pixels[base + 3 * p + 2] = canvas[4 * p + 2];
    }
  }
  return { frames: count, width, height, pixels };
}

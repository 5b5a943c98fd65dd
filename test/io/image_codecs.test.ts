// tf.node image codecs: PNG round trips exactly in every channel count, JPEG within its loss, channel conversion,
// format sniffing, and typed errors for bad bytes and arguments.
import * as tn from '../../lib';

function image(h: number, w: number, c: number, seed: number): tn.Tensor {
  let s = seed;
  const v = Array.from({ length: h * w * c }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % 256;
  });
  return tn.tensor3d(v, [h, w, c], 'int32');
}

describe('PNG', () => {
  test.each([1, 3, 4])('%i channel(s): encodePng then decodePng gives the same pixels', async (c) => {
    const img = image(5, 7, c, c);
    const bytes = await tn.node.encodePng(img);
    expect(Array.from(bytes.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const back = tn.node.decodePng(bytes);
    expect(back.shape).toEqual([5, 7, c]);
    expect(back.dtype).toBe('int32');
    expect(Array.from(await back.data())).toEqual(Array.from(await img.data()));
    expect(Array.from(await tn.node.decodeImage(bytes).data())).toEqual(Array.from(await img.data()));
  });

  test('channel conversion: RGBA to RGB drops alpha, RGB to gray is the luma, gray to RGB repeats', async () => {
    const rgba = tn.tensor3d([10, 20, 30, 40, 200, 100, 50, 255], [1, 2, 4], 'int32');
    const bytes = await tn.node.encodePng(rgba);
    expect(Array.from(await tn.node.decodePng(bytes, 3).data())).toEqual([10, 20, 30, 200, 100, 50]);
    expect(Array.from(await tn.node.decodePng(bytes, 1).data())).toEqual([Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30), Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50)]);
    const gray = await tn.node.encodePng(tn.tensor3d([7, 99], [1, 2, 1], 'int32'));
    expect(Array.from(await tn.node.decodePng(gray, 3).data())).toEqual([7, 7, 7, 99, 99, 99]);
  });
});

describe('JPEG', () => {
  test('encodeJpeg then decodeJpeg stays close on a smooth image', async () => {
    const v: number[] = [];
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) v.push(x * 8, y * 8, 128);
    const img = tn.tensor3d(v, [16, 16, 3], 'int32');
    const bytes = await tn.node.encodeJpeg(img, '', 95);
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    const back = tn.node.decodeImage(bytes);
    expect(back.shape).toEqual([16, 16, 3]);
    const a = await back.data();
    const maxErr = Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - v[i])), 0);
    expect(maxErr).toBeLessThan(12);
  });
});

describe('errors', () => {
  test('bad bytes and arguments throw typed errors', async () => {
    expect(() => tn.node.decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(/unknown image format/);
    expect(() => tn.node.decodeImage(new Uint8Array([0x42, 0x4d, 0, 0]))).toThrow(/incomplete BMP/);
    expect(() => tn.node.decodePng(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toThrow(/invalid PNG data/);
    expect(() => tn.node.decodeJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]))).toThrow(tn.ValueError);
    expect(() => tn.node.decodePng('png' as never)).toThrow(/must be a Uint8Array/);
    expect(() => tn.node.decodePng(new Uint8Array(8), 2)).toThrow(/'channels' must be 0/);
    await expect(tn.node.encodePng(tn.zeros([2, 2]))).rejects.toThrow(tn.ShapeError);
    await expect(tn.node.encodePng(tn.zeros([2, 2, 3]), 12)).rejects.toThrow(/'compression'/);
  });
});

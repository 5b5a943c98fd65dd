// CIFAR-10 binary batches: CHW records to NHWC float32, size and label validation, directory loading.

import * as fs from 'fs';
import * as path from 'path';
import { decodeCifar10Batch, loadCifar10Dir, CIFAR10_TRAIN_FILES } from '../../lib/data/cifar10';
import { DataFormatError, DataNotFoundError } from '../../lib/data/errors';
import { cifarBytes, tmpdir } from './fixtures';

describe('CIFAR-10', () => {
  test('decodes records: label byte, then R, G, B planes -> NHWC in [0,1]', () => {
    const { bytes, labels } = cifarBytes(3, 5);
    const b = decodeCifar10Batch(bytes, 'batch');
    expect(b.images.shape).toEqual([3, 32, 32, 3]);
    expect(Array.from(b.labels.data)).toEqual(labels);
    for (let r = 0; r < 3; r++)
      for (let y = 0; y < 32; y += 5)
        for (let x = 0; x < 32; x += 3)
          for (let c = 0; c < 3; c++) {
            const want = bytes[r * 3073 + 1 + c * 1024 + y * 32 + x] / 255;
            expect(b.images.data[((r * 32 + y) * 32 + x) * 3 + c]).toBeCloseTo(want, 6);
          }
  });

  test('rejects a size that is not a multiple of 3073 and labels >= 10', () => {
    const { bytes } = cifarBytes(2, 1);
    expect(() => decodeCifar10Batch(bytes.subarray(0, 3073 + 100), 'data_batch_1.bin')).toThrow(DataFormatError);
    expect(() => decodeCifar10Batch(bytes.subarray(0, 3073 + 100), 'data_batch_1.bin')).toThrow(
      /data_batch_1\.bin: CIFAR-10 batch size 3173 bytes is not a positive multiple of the 3073-byte record/,
    );
    expect(() => decodeCifar10Batch(new Uint8Array(0), 'e')).toThrow(DataFormatError);
    const bad = Uint8Array.from(bytes);
    bad[3073] = 10;
    expect(() => decodeCifar10Batch(bad, 'b')).toThrow(/record 1 has label 10/);
  });

  test('loads five training batches and the test batch from cifar-10-batches-bin/', async () => {
    const dir = tmpdir();
    const sub = path.join(dir, 'cifar-10-batches-bin');
    fs.mkdirSync(sub);
    const all: number[] = [];
    CIFAR10_TRAIN_FILES.forEach((f, i) => {
      const { bytes, labels } = cifarBytes(2, 10 + i);
      fs.writeFileSync(path.join(sub, f), bytes);
      all.push(...labels);
    });
    const t = cifarBytes(3, 99);
    fs.writeFileSync(path.join(sub, 'test_batch.bin'), t.bytes);
    const d = await loadCifar10Dir(dir);
    expect(d.trainImages.shape).toEqual([10, 32, 32, 3]);
    expect(Array.from(d.trainLabels.data)).toEqual(all);
    expect(d.testImages.shape).toEqual([3, 32, 32, 3]);
    expect(Array.from(d.testLabels.data)).toEqual(t.labels);
    fs.unlinkSync(path.join(sub, 'data_batch_4.bin'));
    await expect(loadCifar10Dir(dir)).rejects.toThrow(DataNotFoundError);
    await expect(loadCifar10Dir(dir)).rejects.toThrow(/data_batch_4\.bin/);
  });
});

// CRC-32C against published vectors, and TFRecord framing and Event encoding byte for byte against a file that
// TensorBoard's own RecordWriter and protobuf classes wrote (test/fixtures/tensorboard/gen_reference.py).
import * as fs from 'fs';
import * as path from 'path';
import { crc32c, maskedCrc32c } from '../../lib/tensorboard/crc32c';
import { fileVersionEvent, histogramEvent, scalarEvent } from '../../lib/tensorboard/events';
import { tfRecord } from '../../lib/tensorboard/tfrecord';
import { readTfRecords } from '../../lib/tensorboard';
import { ValueError } from '../../lib';
import { decodeEvent } from '../helpers/event_reader';

const reference = fs.readFileSync(path.join(__dirname, '../fixtures/tensorboard/reference.tfrecord'));

describe('crc32c', () => {
  test('published check values (RFC 3720 B.4 and the CRC catalogue)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  test('the mask is a rotation plus a constant that unmasks back to the CRC', () => {
    const data = Buffer.from('tensorboard');
    const masked = maskedCrc32c(data);
    const rot = (masked - 0xa282ead8) >>> 0;
    expect(((rot >>> 17) | (rot << 15)) >>> 0).toBe(crc32c(data));
  });
});

describe('TFRecord framing', () => {
  const records = readTfRecords(reference);

  test('reads every record of the reference file with both CRCs checked', () => {
    expect(records).toHaveLength(9);
    expect(records[0].length).toBe(0);
    expect(records[1].toString()).toBe('123456789');
  });

  test('frames each record exactly as TensorBoard does', () => {
    expect(Buffer.concat(records.map((r) => tfRecord(r))).equals(reference)).toBe(true);
  });

  test('a flipped bit in the length, the data or a CRC is caught', () => {
    for (const at of [0, 9, 12 + 0 + 4 + 8 + 4 + 3, reference.length - 1]) {
      const bad = Buffer.from(reference);
      bad[at] ^= 0x10;
      expect(() => readTfRecords(bad)).toThrow(ValueError);
    }
    expect(() => readTfRecords(reference.subarray(0, reference.length - 2))).toThrow(/truncated/);
  });
});

describe('Event encoding matches the protobuf library byte for byte', () => {
  const records = readTfRecords(reference);
  test('file_version event', () => {
    expect(Buffer.from(fileVersionEvent(1700000000.25)).equals(records[2])).toBe(true);
    expect(decodeEvent(records[2]).fileVersion).toBe('brain.Event:2');
  });
  test('scalar events (step 0 left out, negative and > 2^32 steps, float value, unicode tag)', () => {
    expect(Buffer.from(scalarEvent(1700000001.5, 7, 'epoch_loss', 0.3125)).equals(records[3])).toBe(true);
    expect(Buffer.from(scalarEvent(1700000002.125, 0, 'batch_acc', 0)).equals(records[4])).toBe(true);
    expect(Buffer.from(scalarEvent(1700000003.0, -3, 'val_\u00e9', -1.75)).equals(records[5])).toBe(true);
    expect(Buffer.from(scalarEvent(1700000004.0, 2 ** 40 + 5, 'big_step', 123456.78125)).equals(records[6])).toBe(true);
    const e = decodeEvent(records[5]);
    expect(e).toEqual({ wallTime: 1700000003, step: -3, fileVersion: undefined, values: [{ tag: 'val_\u00e9', simpleValue: -1.75 }] });
  });
  test('histogram events: [k, 3] float32 tensor with the histograms plugin tag', () => {
    const rows = Float32Array.of(-1.5, 0.25, 3, 0.25, 2.0, 5);
    expect(Buffer.from(histogramEvent(1700000005.5, 2, 'dense_1/kernel', rows, 'weights')).equals(records[7])).toBe(true);
    expect(Buffer.from(histogramEvent(1700000006.0, 0, 'empty', new Float32Array(0))).equals(records[8])).toBe(true);
    const v = decodeEvent(records[7]).values[0];
    expect(v.tensor).toEqual({ dtype: 1, shape: [2, 3], values: Array.from(rows) });
    expect(v.pluginName).toBe('histograms');
  });
});

// TFRecord framing: each record is length (uint64 LE), masked CRC-32C of the length, the data, masked CRC-32C of the data.
import { ValueError } from '../errors';
import { maskedCrc32c } from './crc32c';

/** One framed record around `data` (what TensorBoard's event-file reader expects, record by record). */
export function tfRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

/** Splits a TFRecord file back into its records, checking both CRCs (throws on a torn or corrupt record). */
export function readTfRecords(file: Uint8Array): Buffer[] {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const records: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 12 > buf.length) throw new ValueError(`readTfRecords: truncated record header at byte ${pos}`);
    const len = Number(buf.readBigUInt64LE(pos));
    if (buf.readUInt32LE(pos + 8) !== maskedCrc32c(buf.subarray(pos, pos + 8))) throw new ValueError(`readTfRecords: bad length CRC at byte ${pos}`);
    const start = pos + 12;
    if (start + len + 4 > buf.length) throw new ValueError(`readTfRecords: truncated record data at byte ${start}`);
    const data = buf.subarray(start, start + len);
    if (buf.readUInt32LE(start + len) !== maskedCrc32c(data)) throw new ValueError(`readTfRecords: bad data CRC at byte ${start}`);
    records.push(data);
    pos = start + len + 4;
  }
  return records;
}

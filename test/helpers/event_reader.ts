// Test-side reader of TensorBoard event files: a protobuf wire-format decoder written separately from the library's
// encoder, so the tests check the encoder against an independent reading of the bytes.
import * as fs from 'fs';
import * as path from 'path';
import { readTfRecords } from '../../lib/tensorboard';

type Field = { wire: number; int?: bigint; bytes?: Buffer; fixed?: Buffer };

/** Field number -> occurrences, in order. */
export function decodeProto(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let f: Field;
    if (wire === 0) f = { wire, int: varint() };
    else if (wire === 1) f = { wire, fixed: buf.subarray(pos, (pos += 8)) };
    else if (wire === 5) f = { wire, fixed: buf.subarray(pos, (pos += 4)) };
    else if (wire === 2) {
      const len = Number(varint());
      f = { wire, bytes: buf.subarray(pos, (pos += len)) };
    } else throw new Error(`unexpected wire type ${wire}`);
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push(f);
  }
  return out;
}

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
  /** Histogram tensors: shape and the float32 values. */
  tensor?: { dtype: number; shape: number[]; values: number[] };
  pluginName?: string;
  description?: string;
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: DecodedValue[];
}

const one = (m: Map<number, Field[]>, n: number): Field | undefined => m.get(n)?.[0];

export function decodeEvent(bytes: Buffer): DecodedEvent {
  const e = decodeProto(bytes);
  const values: DecodedValue[] = [];
  const summary = one(e, 5)?.bytes;
  if (summary) {
    for (const vf of decodeProto(summary).get(1) ?? []) {
      const v = decodeProto(vf.bytes!);
      const dv: DecodedValue = { tag: one(v, 1)!.bytes!.toString('utf8') };
      const simple = one(v, 2);
      if (simple) dv.simpleValue = simple.fixed!.readFloatLE(0);
      const t = one(v, 8)?.bytes;
      if (t) {
        const tp = decodeProto(t);
        const dims = decodeProto(one(tp, 2)!.bytes!).get(2) ?? [];
        const shape = dims.map((d) => Number(one(decodeProto(d.bytes!), 1)?.int ?? 0n));
        const content = one(tp, 4)?.bytes ?? Buffer.alloc(0);
        const vals: number[] = [];
        for (let i = 0; i < content.length; i += 4) vals.push(content.readFloatLE(i));
        dv.tensor = { dtype: Number(one(tp, 1)?.int ?? 0n), shape, values: vals };
      }
      const md = one(v, 9)?.bytes;
      if (md) {
        const m = decodeProto(md);
        const pd = one(m, 1)?.bytes;
        if (pd) dv.pluginName = one(decodeProto(pd), 1)?.bytes?.toString('utf8');
        const d = one(m, 3)?.bytes;
        if (d) dv.description = d.toString('utf8');
      }
      values.push(dv);
    }
  }
  return {
    wallTime: one(e, 1)?.fixed?.readDoubleLE(0) ?? 0,
    step: Number(BigInt.asIntN(64, one(e, 2)?.int ?? 0n)),
    fileVersion: one(e, 3)?.bytes?.toString('utf8'),
    values,
  };
}

/** Every event of every events file under `dir` (files in name order). */
export function readEventsDir(dir: string): DecodedEvent[] {
  const files = fs.readdirSync(dir).filter((f) => f.includes('tfevents')).sort();
  return files.flatMap((f) => readTfRecords(fs.readFileSync(path.join(dir, f))).map(decodeEvent));
}

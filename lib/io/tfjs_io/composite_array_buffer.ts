// tf.io.CompositeArrayBuffer: several ArrayBuffers (weight shards) read as one byte range without first copying them
// into one buffer; slice(start, end) copies out just the bytes asked for.
import { types } from 'util';
import { ValueError } from '../../errors';

/** An ArrayBuffer from any realm (fetch's bodies come from Node's own, which `instanceof` misses in a vm context). */
export const isArrayBuffer = (v: unknown): v is ArrayBuffer => types.isArrayBuffer(v);

type BufferLike = ArrayBuffer | ArrayBufferView;

interface Shard {
  bytes: Uint8Array;
  start: number;
  end: number;
}

export class CompositeArrayBuffer {
  /** Total bytes of all the shards. */
  readonly byteLength: number;
  private readonly shards: Shard[] = [];

  /** The bytes of `buffers` back to back, as one new ArrayBuffer. */
  static join(buffers?: BufferLike | BufferLike[]): ArrayBuffer {
    return new CompositeArrayBuffer(buffers).slice();
  }

  constructor(buffers?: BufferLike | BufferLike[] | null) {
    const list = buffers == null ? [] : Array.isArray(buffers) ? buffers : [buffers];
    let start = 0;
    list.forEach((b, i) => {
      // A typed array or Buffer contributes the bytes it views (Node's Buffers often view a larger pool).
      let bytes: Uint8Array;
      if (isArrayBuffer(b)) bytes = new Uint8Array(b);
      else if (ArrayBuffer.isView(b)) bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      else throw new ValueError(`CompositeArrayBuffer: buffer ${i} must be an ArrayBuffer or a typed array, got ${b === null ? 'null' : typeof b}`);
      this.shards.push({ bytes, start, end: start + bytes.byteLength });
      start += bytes.byteLength;
    });
    this.byteLength = start;
  }

  /**
   * A copy of bytes [start, end) as ArrayBuffer.slice takes them: NaN reads as 0, the range is clipped to the
   * buffer, and an empty or inverted range gives an empty buffer. (Negative indices are clipped to 0, as in tfjs,
   * not counted from the end.)
   */
  slice(start = 0, end = this.byteLength): ArrayBuffer {
    let s = Number.isNaN(Number(start)) ? 0 : Math.max(0, Math.floor(Number(start)));
    const e = Number.isNaN(Number(end)) ? 0 : Math.min(this.byteLength, Math.floor(Number(end)));
    if (e <= s) return new ArrayBuffer(0);
    const out = new Uint8Array(e - s);
    let at = this.findShard(s);
    let written = 0;
    while (s < e) {
      const shard = this.shards[at++];
      if (shard.end <= s) continue; // an empty shard
      const take = Math.min(e, shard.end) - s;
      out.set(shard.bytes.subarray(s - shard.start, s - shard.start + take), written);
      written += take;
      s += take;
    }
    return out.buffer;
  }

  /** The shard holding byte `i` (binary search over the shards' start offsets). */
  private findShard(i: number): number {
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shards[mid].start <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

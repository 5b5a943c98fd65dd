// A minimal protocol-buffer writer: the few wire types TensorBoard's Event, Summary and TensorProto messages use.

/** Builds one message field by field; nested messages are written as length-delimited bytes of their own writer. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    return this;
  }

  private tag(field: number, wireType: number): this {
    return this.varint(BigInt((field << 3) | wireType));
  }

  /** Base-128 varint of an unsigned 64-bit value (negative int64s arrive as their two's complement). */
  private varint(v: bigint): this {
    const out: number[] = [];
    let x = BigInt.asUintN(64, v);
    do {
      const low = Number(x & 0x7fn);
      x >>= 7n;
      out.push(x > 0n ? low | 0x80 : low);
    } while (x > 0n);
    return this.push(Uint8Array.from(out));
  }

  /** int64 / int32 / enum field (wire type 0). */
  int64(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(BigInt(v));
  }

  /** double field (wire type 1, little-endian IEEE 754). */
  double(field: number, v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.tag(field, 1).push(b);
  }

  /** float field (wire type 5): the value rounds to float32, as the proto field stores it. */
  float(field: number, v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    return this.tag(field, 5).push(b);
  }

  /** bytes / embedded-message field (wire type 2). */
  bytes(field: number, v: Uint8Array): this {
    return this.tag(field, 2).varint(BigInt(v.length)).push(v);
  }

  string(field: number, v: string): this {
    return this.bytes(field, Buffer.from(v, 'utf8'));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let pos = 0;
    for (const p of this.parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

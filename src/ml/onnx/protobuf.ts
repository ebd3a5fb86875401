/**
 * A minimal Protocol Buffers writer: just the wire types an ONNX model needs (varints, 32-bit
 * floats, length-delimited bytes and nested messages). Field numbers come from onnx.proto.
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;

export class ProtoWriter {
  private bytes: number[] = [];

  /** Field `field` as a varint (int32, int64 and enum fields; negative values are not needed here). */
  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf: varint fields take whole numbers of 0 or more, got ${value}`);
    this.key(field, VARINT);
    this.varint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  /** Field `field` as length-delimited bytes (raw tensor data). */
  raw(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.varint(value.length);
    for (let i = 0; i < value.length; i++) this.bytes.push(value[i]);
    return this;
  }

  message(field: number, value: ProtoWriter): this {
    return this.raw(field, value.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Base-128, least significant group first; arithmetic, not bit operators, so values above 2^31 stay exact. */
  private varint(value: number): void {
    let v = value;
    while (v >= 128) {
      this.bytes.push((v % 128) + 128);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
  }
}

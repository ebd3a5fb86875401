/**
 * A minimal Protocol Buffers writer: just the wire types an ONNX model needs (varints and
 * length-delimited bytes, strings and nested messages). Field numbers come from onnx.proto.
 */

const VARINT = 0;
const LENGTH_DELIMITED = 2;

export class ProtoWriter {
  /** Written so far: key and varint bytes as numbers, payloads (tensor data) as whole arrays, copied once by finish(). */
  private readonly parts: (number | Uint8Array)[] = [];
  private length = 0;

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
    this.parts.push(value);
    this.length += value.length;
    return this;
  }

  message(field: number, value: ProtoWriter): this {
    return this.raw(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === 'number') out[at++] = part;
      else {
        out.set(part, at);
        at += part.length;
      }
    }
    return out;
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Base-128, least significant group first; arithmetic, not bit operators, so values above 2^31 stay exact. */
  private varint(value: number): void {
    let v = value;
    while (v >= 128) {
      this.parts.push((v % 128) + 128);
      this.length++;
      v = Math.floor(v / 128);
    }
    this.parts.push(v);
    this.length++;
  }
}

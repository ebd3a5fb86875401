/**
 * Builds an ONNX model (a ModelProto, serialised) from a few calls: float inputs with a free batch
 * dimension, float and int64 constants, operator nodes, outputs. Only what the serving graphs of
 * recloop's networks use; field numbers are onnx.proto's.
 */
import { ProtoWriter } from './protobuf.js';

/** Operator set the graphs are written against (Softmax over the last axis, axes as inputs). */
const OPSET = 13;
const IR_VERSION = 8;
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A dimension: a fixed size, or a name for the free batch dimension. */
type Dimension = number | string;

export class OnnxGraph {
  private readonly nodes: ProtoWriter[] = [];
  private readonly constants: ProtoWriter[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private names = 0;

  /** A float input of these dimensions. */
  input(name: string, dims: readonly Dimension[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** A float constant (weights); `values` holds dims' product numbers, row-major. */
  floats(values: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new RangeError(`onnx: constant of shape [${dims.join(', ')}] needs ${size} values, got ${values.length}`);
    const name = this.fresh('w');
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.constants.push(tensor(name, dims, FLOAT, bytes));
    return name;
  }

  /** An int64 vector constant (shapes, axes, indices). */
  ints(values: readonly number[]): string {
    const name = this.fresh('i');
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    this.constants.push(tensor(name, [values.length], INT64, new Uint8Array(data.buffer)));
    return name;
  }

  /** An int64 scalar constant (Gather's index). */
  scalar(value: number): string {
    const name = this.fresh('i');
    this.constants.push(tensor(name, [], INT64, new Uint8Array(new BigInt64Array([BigInt(value)]).buffer)));
    return name;
  }

  /** One operator node; returns its (single) output's name. Attributes are whole numbers or lists of them. */
  node(op: string, inputs: readonly string[], attributes: Readonly<Record<string, number | readonly number[]>> = {}): string {
    const output = this.fresh(op.toLowerCase());
    const node = new ProtoWriter();
    for (const input of inputs) node.string(1, input);
    node.string(2, output).string(4, op);
    for (const [name, value] of Object.entries(attributes)) {
      const attribute = new ProtoWriter().string(1, name);
      if (typeof value === 'number') attribute.int(3, value).int(20, ATTRIBUTE_INT);
      else {
        for (const v of value) attribute.int(8, v);
        attribute.int(20, ATTRIBUTE_INTS);
      }
      node.message(5, attribute);
    }
    this.nodes.push(node);
    return output;
  }

  /** Marks `name` as a float output of these dimensions. */
  output(name: string, dims: readonly Dimension[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** The serialised ModelProto. */
  serialise(graphName: string): Uint8Array {
    const graph = new ProtoWriter();
    for (const node of this.nodes) graph.message(1, node);
    graph.string(2, graphName);
    for (const constant of this.constants) graph.message(5, constant);
    for (const input of this.inputs) graph.message(11, input);
    for (const output of this.outputs) graph.message(12, output);
    const opset = new ProtoWriter().string(1, '').int(2, OPSET);
    return new ProtoWriter().int(1, IR_VERSION).string(2, 'recloop').message(7, graph).message(8, opset).finish();
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.names++}`;
  }
}

function tensor(name: string, dims: readonly number[], dataType: number, bytes: Uint8Array): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  return t.int(2, dataType).string(8, name).raw(9, bytes);
}

function valueInfo(name: string, dims: readonly Dimension[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

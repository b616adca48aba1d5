/**
 * A small builder for one ONNX graph: value names are made unique with a counter, constants become
 * initializers, every node is appended in topological order (each node only reads values made
 * before it), and `op` returns the name of the node's (first) output so steps compose like calls.
 */
import { attributeProto, DT, onnx, tensorProto, valueInfo, type Attrs, type DataType, type Dim, type TensorData } from './proto.ts';

export const ML_DOMAIN = 'ai.onnx.ml';

type NodeMsg = ReturnType<typeof onnx.NodeProto.create>;
type TensorMsg = ReturnType<typeof tensorProto>;
type ValueInfoMsg = ReturnType<typeof valueInfo>;

export class GraphBuilder {
  private readonly nodes: NodeMsg[] = [];
  private readonly initializers: TensorMsg[] = [];
  private readonly inputs: ValueInfoMsg[] = [];
  private readonly outputs: ValueInfoMsg[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** A fresh value name, `<hint>_<n>`. */
  fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  input(name: string, type: DataType, shape: Dim[]): string {
    if (this.used.has(name)) throw new Error(`ONNX graph: two values named ${JSON.stringify(name)}`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Marks `value` as a graph output called `name` (through an Identity when the names differ). */
  output(value: string, name: string, type: DataType, shape: Dim[]): void {
    if (value !== name) {
      if (this.used.has(name)) throw new Error(`ONNX graph: output name ${JSON.stringify(name)} is taken`);
      this.used.add(name);
      this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [value], output: [name], name: `out_${name}` }));
    }
    this.outputs.push(valueInfo(name, type, shape));
  }

  constant(hint: string, t: TensorData): string {
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, t));
    return name;
  }

  double(hint: string, values: ArrayLike<number>, dims: number[] = [values.length]): string {
    return this.constant(hint, { type: DT.DOUBLE, dims, values });
  }

  int64(hint: string, values: ArrayLike<number>, dims: number[] = [values.length]): string {
    return this.constant(hint, { type: DT.INT64, dims, values });
  }

  strings(hint: string, values: readonly string[], dims: number[] = [values.length]): string {
    return this.constant(hint, { type: DT.STRING, dims, values });
  }

  /** One node with one output; returns the output's name. */
  op(opType: string, inputs: string[], attrs: Attrs = {}, domain = ''): string {
    return this.opN(opType, inputs, 1, attrs, domain)[0];
  }

  opN(opType: string, inputs: string[], nOutputs: number, attrs: Attrs = {}, domain = ''): string[] {
    const outs = Array.from({ length: nOutputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        domain,
        input: inputs,
        output: outs,
        name: outs[0],
        attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
      }),
    );
    return outs;
  }

  /** Number of nodes so far (for the card and the bench). */
  get size(): number {
    return this.nodes.length;
  }

  build(name: string, doc: string): ReturnType<typeof onnx.GraphProto.create> {
    return onnx.GraphProto.create({ name, docString: doc, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs });
  }
}

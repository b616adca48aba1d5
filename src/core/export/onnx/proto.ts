/**
 * The protobuf layer of the ONNX export: ONNX's own message definitions (onnx.proto, as compiled to
 * static protobufjs code by the `onnx-proto` package: no code generation at run time, so it runs
 * under the page's Content-Security-Policy) and small constructors for the messages the graph uses.
 * Nothing here encodes bytes by hand: `encodeModel` is protobufjs's ModelProto.encode.
 */
import * as onnxModule from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader and Vite hand it over as the default export.
const root = ((onnxModule as unknown as { default?: typeof onnxModule }).default ?? onnxModule) as typeof onnxModule;
export const onnx = root.onnx;
type P = typeof onnxModule.onnx;

/** TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type DataType = (typeof DT)[keyof typeof DT];

const utf8 = new TextEncoder();
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndian(a: Float64Array | BigInt64Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (littleEndianHost) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 8) for (let b = 0; b < 8; b++) out[i + b] = bytes[i + 7 - b];
  return out;
}

/** UTF-8 of repeated strings (a tree's node modes) encoded once and shared. */
function encodeStrings(values: readonly string[]): Uint8Array[] {
  const cache = new Map<string, Uint8Array>();
  return values.map((v) => {
    let b = cache.get(v);
    if (!b) cache.set(v, (b = utf8.encode(v)));
    return b;
  });
}

export interface TensorData {
  type: DataType;
  dims: number[];
  values: ArrayLike<number> | readonly string[] | readonly boolean[];
}

export function tensorProto(name: string, t: TensorData): InstanceType<P['TensorProto']> {
  const msg: Parameters<P['TensorProto']['create']>[0] = { name, dims: t.dims, dataType: t.type };
  switch (t.type) {
    case DT.FLOAT:
      msg.floatData = Array.from(t.values as ArrayLike<number>);
      break;
    case DT.DOUBLE:
      // raw_data (little-endian bytes, as ONNX defines it): one bytes field, not one protobuf value per number.
      msg.rawData = littleEndian(Float64Array.from(t.values as ArrayLike<number>));
      break;
    case DT.INT64:
      msg.rawData = littleEndian(BigInt64Array.from(Array.from(t.values as ArrayLike<number>, (v) => BigInt(v))));
      break;
    case DT.INT32:
      msg.int32Data = Array.from(t.values as ArrayLike<number>);
      break;
    case DT.BOOL:
      msg.int32Data = Array.from(t.values as ArrayLike<number>, (v) => (v ? 1 : 0));
      break;
    case DT.STRING:
      msg.stringData = encodeStrings(t.values as readonly string[]);
      break;
  }
  return onnx.TensorProto.create(msg);
}

export type AttrValue =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: ArrayLike<number> }
  | { floats: ArrayLike<number> }
  | { strings: readonly string[] }
  | { tensor: TensorData };

export type Attrs = Record<string, AttrValue>;

const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export function attributeProto(name: string, v: AttrValue): InstanceType<P['AttributeProto']> {
  if ('int' in v) return onnx.AttributeProto.create({ name, type: AT.INT, i: v.int });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v.float });
  if ('string' in v) return onnx.AttributeProto.create({ name, type: AT.STRING, s: utf8.encode(v.string) });
  if ('ints' in v) return onnx.AttributeProto.create({ name, type: AT.INTS, ints: Array.from(v.ints) });
  if ('floats' in v) return onnx.AttributeProto.create({ name, type: AT.FLOATS, floats: Array.from(v.floats) });
  if ('strings' in v) return onnx.AttributeProto.create({ name, type: AT.STRINGS, strings: encodeStrings(v.strings) });
  return onnx.AttributeProto.create({ name, type: AT.TENSOR, t: tensorProto('', v.tensor) });
}

/** A dimension: a number, or a symbolic name ("N" for the batch). */
export type Dim = number | string;

export function valueInfo(name: string, type: DataType, shape: Dim[]): InstanceType<P['ValueInfoProto']> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: type,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

export interface ModelParts {
  graph: InstanceType<P['GraphProto']>;
  opsets: { domain: string; version: number }[];
  producer: { name: string; version: string };
  doc: string;
  metadata: Record<string, string>;
}

/** ONNX IR version 8 (ONNX 1.10+, every ONNX Runtime since 1.10 reads it). */
export const IR_VERSION = 8;

export function encodeModel(m: ModelParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: m.opsets.map((o) => ({ domain: o.domain, version: o.version })),
    producerName: m.producer.name,
    producerVersion: m.producer.version,
    docString: m.doc,
    graph: m.graph,
    metadataProps: Object.entries(m.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

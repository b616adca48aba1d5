/**
 * model.onnx's interface in plain data, with no dependency: its inputs (one per input column, [N, 1],
 * float / string / double) and outputs, as schema.json's `x-onnx` lists them. predict.mjs imports
 * this too, so the schema it serves (GET /schema) is schema.json whether or not the bundle has a model.onnx.
 */
import type { Task } from '../../models/types.ts';
import type { InputSchema } from '../runtime/types.ts';

export interface OnnxInputInfo {
  name: string;
  /** ONNX element type: float (numeric), string (categorical, boolean, text), double (datetime, epoch ms). */
  type: 'float' | 'string' | 'double';
  shape: ['N', 1];
  /** How a missing value is given. */
  missing: string;
}

export interface OnnxOutputInfo {
  name: string;
  type: 'float' | 'string';
  shape: (string | number)[];
}

export function onnxInputs(schema: InputSchema): OnnxInputInfo[] {
  return schema.columns.map((c) => {
    const type = c.type === 'numeric' ? 'float' : c.type === 'datetime' ? 'double' : 'string';
    return { name: c.name, type, shape: ['N', 1], missing: type === 'string' ? '""' : 'NaN' };
  });
}

export function onnxOutputs(task: Task, classes: readonly string[]): OnnxOutputInfo[] {
  return task === 'regression'
    ? [{ name: 'prediction', type: 'float', shape: ['N'] }]
    : [
        { name: 'label', type: 'string', shape: ['N'] },
        { name: 'probabilities', type: 'float', shape: ['N', classes.length] },
      ];
}

/** schema.json's `x-onnx` entry. */
export function onnxSchemaEntry(
  schema: InputSchema,
  task: Task,
  classes: readonly string[],
): { file: 'model.onnx'; inputs: OnnxInputInfo[]; outputs: OnnxOutputInfo[] } {
  return { file: 'model.onnx', inputs: onnxInputs(schema), outputs: onnxOutputs(task, classes) };
}

/**
 * A fitted Sieve pipeline as ONNX nodes: from the raw input tensors (one per column, [N, 1]) to the
 * feature matrix X (double [N, P], columns in the pipeline's feature order) the model head reads.
 *
 * - Categorical and boolean columns (string inputs): every feature a pipeline derives from such a
 *   column (imputation with its missing indicator, one-hot with the rare-level bucket, target
 *   encoding, ordinal codes, and scaling of those) is a function of that one string. So the exporter
 *   runs the fitted pipeline itself on one probe row per level it knows, one unseen level and one
 *   missing cell, and writes the outputs as a table: `LabelEncoder` maps the string to its table row
 *   (any other string to the unseen row, "" to the missing row) and `Gather` picks it. The table holds
 *   what Sieve's own code computed, so the two agree exactly.
 * - Numeric columns (float inputs) and datetime parts: cast to double (numbers taken back to their
 *   shortest decimal for the continuous families, decimal.ts), then `Where(IsNaN(x), median,
 *   x)`, `Sub(mean)`, `Div(scale)` for the columns the pipeline imputes and scales, and `Where` for the
 *   0/1 missing indicators (scaled as the pipeline scales them), in the same arithmetic as Sieve.
 * - Datetime columns (double inputs: epoch milliseconds, UTC): year, month, day of week, hour and
 *   epoch seconds in double arithmetic (datetime-ops.ts).
 * - Text columns (hashed bag of words): not expressible (see support.ts); such pipelines do not export.
 */
import type { Column, ColumnType, Frame } from '../../data/frame.ts';
import { FittedPipeline, type PipelineJSON } from '../../prep/pipeline.ts';
import { datetimePart, isDatePart } from './datetime-ops.ts';
import { shortestDecimal } from './decimal.ts';
import type { GraphBuilder } from './graph.ts';
import { DT } from './proto.ts';

/** The graph's input value for each raw column, by name. */
export type InputValues = ReadonlyMap<string, string>;

export interface PrepOutput {
  /** double [N, P]. */
  X: string;
  nFeatures: number;
  /**
   * Per feature: whether it is a float input column as given (a tree pipeline's numeric column). The
   * tree export compares those with thresholds rounded to float32, as the input was.
   */
  float32: boolean[];
}

/** A string no training level equals: stands for "a level the model never saw". */
const UNSEEN = '\u0000sieve-unseen-level\u0000';

export function onnxInputType(type: ColumnType): typeof DT.FLOAT | typeof DT.STRING | typeof DT.DOUBLE {
  if (type === 'numeric') return DT.FLOAT;
  if (type === 'datetime') return DT.DOUBLE;
  return DT.STRING;
}

/**
 * `decimals`: take numeric inputs back to their shortest decimal first (decimal.ts), for the families
 * whose output moves continuously with the inputs; tree families compare the float32 values with
 * adapted thresholds instead (trees.ts).
 */
export function pipelineToOnnx(g: GraphBuilder, json: PipelineJSON, inputs: InputValues, prefix: string, decimals: boolean): PrepOutput {
  const pipeline = FittedPipeline.fromJSON(json);
  const stats = numericStats(json.steps);
  const inputOf = (source: string): string => {
    const v = inputs.get(source);
    if (v === undefined) throw new Error(`no graph input for column "${source}"`);
    return v;
  };
  const f = featureSources(g, json, inputOf, stats.indicators, decimals);
  const blocks: Blocks = { values: [], offset: new Map(), width: 0 };
  if (f.baseNames.length) numericBlocks(g, prefix, f, stats, blocks);

  // Categorical columns: one lookup table each, computed by the pipeline itself.
  for (const [source, featureIdx] of f.tableFeatures) {
    addBlock(blocks, `table:${source}`, levelTable(g, prefix, pipeline, json, source, featureIdx, inputOf), featureIdx.length);
  }

  const order: number[] = [];
  let indicatorSeen = 0;
  for (const s of f.slots) {
    if (s.kind === 'value') order.push(blocks.offset.get('values')! + s.base);
    else if (s.kind === 'indicator') order.push(blocks.offset.get('indicators')! + indicatorSeen++);
    else order.push(blocks.offset.get(`table:${s.source}`)! + s.col);
  }
  const { fills, scales } = stats;
  const rawFloat = (b: number): boolean => !decimals && f.baseIsInput[b] && !fills.has(f.baseNames[b]) && !scales.has(f.baseNames[b]);
  const float32 = f.slots.map((s) => s.kind === 'value' && rawFloat(s.base));
  const all = blocks.values.length === 1 ? blocks.values[0] : g.op('Concat', blocks.values, { axis: { int: 1 } });
  const identity = order.every((o, i) => o === i) && order.length === blocks.width;
  const X = identity ? all : g.op('Gather', [all, g.int64(`${prefix}order`, order)], { axis: { int: 1 } });
  return { X, nFeatures: json.features.length, float32 };
}

interface NumericStats {
  /** Imputed median by column. */
  fills: Map<string, number>;
  /** Names of the missing-indicator features. */
  indicators: Set<string>;
  scales: Map<string, { mean: number; scale: number }>;
}

/** What the impute and scale steps do to numeric columns; a text_hash step cannot be exported. */
function numericStats(steps: PipelineJSON['steps']): NumericStats {
  const fills = new Map<string, number>();
  const indicators = new Set<string>();
  const scales = new Map<string, { mean: number; scale: number }>();
  for (const s of steps) {
    if (s.type === 'impute') {
      for (const f of s.numeric as { column: string; median: number; indicator: boolean }[]) {
        fills.set(f.column, f.median);
        if (f.indicator) indicators.add(`${f.column}__missing`);
      }
    } else if (s.type === 'scale') {
      for (const st of s.stats as { column: string; mean: number; scale: number }[]) scales.set(st.column, { mean: st.mean, scale: st.scale });
    } else if (s.type === 'text_hash') {
      throw new Error('free-text columns (hashed bag of words) are not expressible in ONNX operators');
    }
  }
  return { fills, indicators, scales };
}

type Slot = { kind: 'value'; base: number } | { kind: 'indicator'; base: number; name: string } | { kind: 'table'; source: string; col: number };

/** Where each feature comes from: a base numeric column (value or indicator) or a categorical table. */
interface FeatureSources {
  baseNames: string[];
  /** Graph value of each base column (its cast input, or a datetime part). */
  baseValues: string[];
  baseIsInput: boolean[];
  slots: Slot[];
  /** Feature indices of each categorical source column. */
  tableFeatures: Map<string, number[]>;
}

function featureSources(g: GraphBuilder, json: PipelineJSON, inputOf: (source: string) => string, indicators: Set<string>, decimals: boolean): FeatureSources {
  const typeOf = (source: string): ColumnType => {
    const t = Object.prototype.hasOwnProperty.call(json.inputTypes, source) ? json.inputTypes[source] : undefined;
    if (t === undefined) throw new Error(`feature source "${source}" is not an input column`);
    return t;
  };
  const baseNames: string[] = [];
  const baseValues: string[] = [];
  const baseIndex = new Map<string, number>();
  const baseIsInput: boolean[] = [];
  const base = (name: string, make: () => string, isInput: boolean): number => {
    let i = baseIndex.get(name);
    if (i === undefined) {
      i = baseNames.length;
      baseIndex.set(name, i);
      baseNames.push(name);
      baseIsInput.push(isInput);
      baseValues.push(make());
    }
    return i;
  };
  const dtDouble = new Map<string, string>();
  const slots: Slot[] = [];
  const tableFeatures = new Map<string, number[]>();
  json.features.forEach((f, j) => {
    const source = f.source;
    const type = typeOf(source);
    if (type === 'text') throw new Error('free-text columns (hashed bag of words) are not expressible in ONNX operators');
    if (type === 'numeric' || type === 'datetime') {
      let name = f.name;
      let indicator = false;
      if (name.endsWith('__missing') && indicators.has(name)) {
        indicator = true;
        name = name.slice(0, -'__missing'.length);
      }
      let make: () => string;
      if (type === 'numeric') {
        if (name !== source) throw new Error(`numeric feature "${f.name}" is not a known transformation of "${source}"`);
        make = () => {
          const x = g.op('Cast', [inputOf(source)], { to: { int: DT.DOUBLE } });
          return decimals ? shortestDecimal(g, x) : x;
        };
      } else {
        const part = name.startsWith(`${source}.`) ? name.slice(source.length + 1) : '';
        if (!isDatePart(part)) throw new Error(`datetime feature "${f.name}" is not a known part of "${source}"`);
        make = () => {
          let ms = dtDouble.get(source);
          if (!ms) dtDouble.set(source, (ms = inputOf(source)));
          return datetimePart(g, ms, part);
        };
      }
      const b = base(name, make, type === 'numeric');
      slots.push(indicator ? { kind: 'indicator', base: b, name: f.name } : { kind: 'value', base: b });
      return;
    }
    const list = tableFeatures.get(source) ?? [];
    list.push(j);
    tableFeatures.set(source, list);
    slots.push({ kind: 'table', source, col: list.length - 1 });
  });
  return { baseNames, baseValues, baseIsInput, slots, tableFeatures };
}

/** The feature matrix's column blocks, in order, and where each starts. */
interface Blocks {
  values: string[];
  offset: Map<string, number>;
  width: number;
}

function addBlock(blocks: Blocks, key: string, value: string, w: number): void {
  blocks.offset.set(key, blocks.width);
  blocks.values.push(value);
  blocks.width += w;
}

/** Numeric values: impute, then scale, all columns at once; then the missing indicators. */
function numericBlocks(g: GraphBuilder, prefix: string, f: FeatureSources, stats: NumericStats, blocks: Blocks): void {
  const { baseNames, baseValues, slots } = f;
  const { fills, scales } = stats;
  const B = baseValues.length === 1 ? baseValues[0] : g.op('Concat', baseValues, { axis: { int: 1 } });
  const nb = baseNames.length;
  const fill = baseNames.map((n) => fills.get(n) ?? NaN);
  const mean = baseNames.map((n) => scales.get(n)?.mean ?? 0);
  const scale = baseNames.map((n) => scales.get(n)?.scale ?? 1);
  const isnan = g.op('IsNaN', [B]);
  let V = B;
  if (fill.some((v) => !Number.isNaN(v))) V = g.op('Where', [isnan, g.double(`${prefix}fill`, fill, [1, nb]), V]);
  if (mean.some((v) => v !== 0) || scale.some((v) => v !== 1)) {
    V = g.op('Div', [g.op('Sub', [V, g.double(`${prefix}mean`, mean, [1, nb])]), g.double(`${prefix}scale`, scale, [1, nb])]);
  }
  addBlock(blocks, 'values', V, nb);
  const ind = slots.filter((s): s is Extract<Slot, { kind: 'indicator' }> => s.kind === 'indicator');
  if (ind.length) {
    const flags = g.op(
      'Gather',
      [
        isnan,
        g.int64(
          `${prefix}ind_cols`,
          ind.map((s) => s.base),
        ),
      ],
      { axis: { int: 1 } },
    );
    // (flag - mean) / scale for flag 1 and 0, as the scaler computes it.
    const k1 = ind.map((s) => scaled(1, scales.get(s.name)));
    const k0 = ind.map((s) => scaled(0, scales.get(s.name)));
    addBlock(
      blocks,
      'indicators',
      g.op('Where', [flags, g.double(`${prefix}ind1`, k1, [1, ind.length]), g.double(`${prefix}ind0`, k0, [1, ind.length])]),
      ind.length,
    );
  }
}

/** A categorical column's features as a table with a row per known level, one for unseen levels and one for missing. */
function levelTable(
  g: GraphBuilder,
  prefix: string,
  pipeline: FittedPipeline,
  json: PipelineJSON,
  source: string,
  featureIdx: number[],
  inputOf: (source: string) => string,
): string {
  const steps = json.steps;
  const keys = knownLevels(steps, source);
  const probe = probeFrame(json, source, [...keys, UNSEEN, null]);
  const m = pipeline.transform(probe);
  const W = featureIdx.length;
  const R = keys.length + 2;
  const table = new Float64Array(R * W);
  featureIdx.forEach((j, c) => {
    const col = m.columns[j];
    for (let r = 0; r < R; r++) table[r * W + c] = col[r];
  });
  const idx = g.op(
    'LabelEncoder',
    [inputOf(source)],
    { keys_strings: { strings: [...keys, ''] }, values_int64s: { ints: [...keys.map((_, i) => i), keys.length + 1] }, default_int64: { int: keys.length } },
    'ai.onnx.ml',
  );
  const rows = g.op('Gather', [g.double(`${prefix}table`, table, [R, W]), idx], { axis: { int: 0 } });
  return g.op('Reshape', [rows, g.int64(`${prefix}shape`, [-1, W])]);
}

function scaled(flag: number, s: { mean: number; scale: number } | undefined): number {
  return s ? (flag - s.mean) / s.scale : flag;
}

/** Every level string a step of the pipeline names for `column` (imputed modes, one-hot, target and ordinal code books). */
function knownLevels(steps: PipelineJSON['steps'], column: string): string[] {
  const out = new Set<string>();
  for (const s of steps) {
    if (s.type === 'impute') for (const f of s.categorical as { column: string; mode: string }[]) if (f.column === column) out.add(f.mode);
    if (s.type === 'onehot' || s.type === 'target_encode' || s.type === 'ordinal') {
      for (const e of s.encodings as { column: string; levels: string[] }[]) if (e.column === column) for (const l of e.levels) out.add(l);
    }
  }
  out.delete('');
  return [...out];
}

/** A frame with one row per probe value of `column` (null: missing) and every other input missing. */
function probeFrame(json: PipelineJSON, column: string, values: (string | null)[]): Frame {
  const n = values.length;
  const columns: Column[] = json.inputColumns.map((name): Column => {
    const type = json.inputTypes[name];
    if (name === column) {
      const levels = values.filter((v): v is string => v !== null);
      const index = new Map(levels.map((l, i) => [l, i]));
      const codes = Int32Array.from(values, (v) => (v === null ? -1 : index.get(v)!));
      return { name, type, storage: 'categorical', codes, levels };
    }
    if (type === 'numeric' || type === 'datetime') return { name, type, storage: 'numeric', values: new Float64Array(n).fill(NaN) };
    return { name, type, storage: 'categorical', codes: new Int32Array(n).fill(-1), levels: [] };
  });
  return { rows: n, columns };
}

/**
 * A readable model in the model card: a single shallow decision tree printed as its rules (one line
 * per leaf: the conditions on the path, then the prediction and the training rows behind it), and a
 * linear / logistic model as a points scorecard (points per unit of each input, from the coefficients
 * and the standardisation the pipeline applied).
 */
import type { FinalModelJSON } from '../automl/model.ts';
import { code, h, p, table, type Block } from './card-doc.ts';

interface TreeJSON {
  feature: number[];
  threshold: (number | null)[];
  missingLeft: number[];
  leftCategories: (number[] | null)[];
  left: number[];
  right: number[];
  value: number[];
  valueDim: number;
}

type Member = FinalModelJSON['members'][number];
const num = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

/** The tree's rules, one line per leaf; levels[feature] maps category codes to labels where known. */
export function treeRules(tree: TreeJSON, names: string[], levels: (string[] | undefined)[], describe: (value: number[]) => string): string[] {
  const out: string[] = [];
  const walk = (node: number, path: string[]): void => {
    if (tree.feature[node] < 0) {
      const v = tree.value.slice(node * tree.valueDim, node * tree.valueDim + tree.valueDim);
      out.push(`${path.length ? `IF ${path.join(' AND ')}` : 'ALWAYS'} THEN ${describe(v)}`);
      return;
    }
    const f = tree.feature[node];
    const name = names[f] ?? `f${f}`;
    const miss = tree.missingLeft[node] === 1;
    const cats = tree.leftCategories[node];
    let left: string;
    let right: string;
    if (cats) {
      const label = (c: number) => JSON.stringify(levels[f]?.[c] ?? String(c));
      left = `${name} ∈ {${cats.map(label).join(', ')}}`;
      right = `${name} ∉ {${cats.map(label).join(', ')}}`;
    } else {
      const t = tree.threshold[node];
      left = t === null ? `${name} is present` : `${name} ≤ ${num(t)}`;
      right = t === null ? `${name} is missing` : `${name} > ${num(t)}`;
    }
    walk(tree.left[node], [...path, miss ? `(${left} or missing)` : left]);
    walk(tree.right[node], [...path, miss ? right : `(${right} or missing)`]);
  };
  walk(0, []);
  return out;
}

function stepsOf(m: Member): { type: string; [k: string]: unknown }[] {
  return (m.model.pipeline.steps ?? []) as { type: string; [k: string]: unknown }[];
}

function levelsOf(m: Member, names: string[]): (string[] | undefined)[] {
  const enc = stepsOf(m).find((s) => s.type === 'ordinal') as { encodings?: { column: string; levels: string[] }[] } | undefined;
  return names.map((n) => enc?.encodings?.find((e) => e.column === n)?.levels);
}

export function readableBlocks(model: FinalModelJSON, classes: string[], positive?: string): Block[] {
  if (model.members.length !== 1) return [];
  const m = model.members[0];
  const est = m.model.estimator as { family: string; params: Record<string, unknown>; state: Record<string, unknown> };
  if (m.model.family === 'decision_tree' || (est.family === 'random_forest' && est.params.n_estimators === 1 && est.params.bootstrap === false)) {
    const state = est.state as { featureNames: string[]; trees: TreeJSON[] };
    const tree = state.trees[0];
    const names = state.featureNames;
    const K = classes.length;
    const describe = (v: number[]): string => {
      if (K === 0) return `predict ${num(v[0])}`;
      const sum = v.reduce((a, b) => a + b, 0) || 1;
      const best = v.indexOf(Math.max(...v));
      const shown =
        K === 2 && positive !== undefined
          ? `P(${JSON.stringify(positive)}) = ${(v[classes.indexOf(positive)] / sum).toFixed(3)}`
          : `“${classes[best]}” (${((100 * v[best]) / sum).toFixed(0)} %)`;
      return shown;
    };
    const rules = treeRules(tree, names, levelsOf(m, names), describe);
    return [
      h(3, 'The decision tree as rules'),
      p('Each row follows exactly one rule. The prediction is the share of each class among the training rows that reached the leaf.'),
      code('text', rules.join('\n')),
    ];
  }
  if (m.model.family === 'linear') {
    const s = est.state as { coef: number[]; intercept: number[]; outputs: number; link: string; nFeatures: number };
    if (s.outputs !== 1) return [];
    const features = (m.model.pipeline.features ?? []) as { name: string }[];
    const scaler = stepsOf(m).find((x) => x.type === 'scale') as { stats?: { column: string; mean: number; scale: number }[] } | undefined;
    let base = s.intercept[0];
    const rows: string[][] = [];
    features.forEach((f, j) => {
      const c = s.coef[j];
      if (c === 0) return;
      const st = scaler?.stats?.find((x) => x.column === f.name);
      // Points per unit of the raw input: the standardised coefficient over the scale; the mean moves into the base.
      const perUnit = st && st.scale > 0 ? c / st.scale : c;
      if (st && st.scale > 0) base -= (c * st.mean) / st.scale;
      rows.push([f.name, num(perUnit), st ? `per unit of ${f.name}` : f.name.includes('=') || f.name.includes('__') ? 'when this indicator is 1' : 'per unit']);
    });
    rows.sort((a, b) => Math.abs(Number(b[1])) - Math.abs(Number(a[1])));
    const out = s.link === 'logistic' ? `P(${JSON.stringify(classes[1])}) = 1 / (1 + e^(−score))` : 'the prediction is the score';
    return [
      h(3, 'Scorecard'),
      p(
        `Start at ${num(base)} points, add the points of each input; ${out}. Missing values are first filled as the pipeline fills them (the median, or the most frequent level).`,
      ),
      table(['input', 'points', 'counted'], rows, [false, true, false]),
    ];
  }
  return [];
}

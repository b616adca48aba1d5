/**
 * The model card (the bundle's README.md and model-card.html): what the model predicts and for what
 * use, the datasheet of its training data, the pipeline and model, hyperparameters, cross-validation
 * and test metrics with confidence intervals, the A/B comparison with the existing process and the
 * success criterion, feature importance, limitations and out-of-scope uses, how to call it, and how
 * to reproduce it (those two in card-usage.ts). Written from plain data, so the page and the CLI
 * produce the same card.
 */
import { trustCardBlocks } from './card-trust.ts';
import { formatP } from '../eval/ab.ts';
import { METRICS, type MetricName } from '../eval/metrics.ts';
import { h, list, p, renderHtml, renderMarkdown, table, type Block, type Cell, type Inline } from './card-doc.ts';
import { describeSteps, familyDescription, gainImportance, paramRows } from './card-describe.ts';
import { onnxCardBlocks } from './onnx/card.ts';
import { quoteName } from './runtime/message-text.ts';
import { decisionBlocks } from './card-decisions.ts';
import { reproducibility, usage } from './card-usage.ts';
import type { ModelCardInput } from './card-types.ts';

export type { CardAb, CardImportance, CardSuccess, CardWinner, ModelCardInput } from './card-types.ts';

export interface ModelCard {
  markdown: string;
  html: string;
}

export function buildModelCard(input: ModelCardInput): ModelCard {
  const blocks = cardBlocks(input);
  return { markdown: renderMarkdown(blocks), html: renderHtml(blocks, `Model card: predicting ${input.project.target}`) };
}

const TASK_WORDS = { binary: 'binary classification', multiclass: 'multiclass classification', regression: 'regression' } as const;

export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1e6) return v.toExponential(3);
  if (a >= 1000) return v.toFixed(1);
  if (a >= 10) return v.toFixed(3);
  return v.toFixed(4);
}

const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');

function cardBlocks(c: ModelCardInput): Block[] {
  return [
    ...headerBlocks(c),
    ...intendedUse(c),
    ...limitations(c),
    ...datasheet(c),
    ...pipeline(c),
    ...evaluation(c),
    ...trustCardBlocks(c.project.target, c.model.conformal, c.conformal, c.model.drift),
    ...decisionBlocks(c.decisions, c.project.classes, c.model),
    ...importance(c),
    ...usage(c),
    ...onnxCardBlocks(c.onnx, c.example, c.project.classes),
    ...reproducibility(c, validationLabel(c)),
  ];
}

function headerBlocks(c: ModelCardInput): Block[] {
  const { project } = c;
  const metric = METRICS[project.metric];
  const classes = project.task === 'regression' ? [] : [` (classes: `, ...joinCodes(project.classes), ')'];
  const lede: Inline[] = [
    'This model predicts ',
    { strong: project.target },
    ` by ${TASK_WORDS[project.task]}`,
    ...classes,
    ` from ${c.data.inputs.length} input column${c.data.inputs.length === 1 ? '' : 's'}. It was built by Sieve ${c.appVersion} on ${c.created.slice(0, 10)} from `,
    { code: c.data.name },
    ` (${c.data.rows} rows): the winner of ${c.run.trials} trials is `,
    { strong: winnerWords(c) },
    '.',
  ];
  const facts: Inline[][] = [
    [
      `Test ${metric.label}: `,
      { strong: fmt(c.testMetric?.value ?? c.test[project.metric]) },
      c.testMetric ? ` (95 % CI ${fmt(c.testMetric.ci[0])} to ${fmt(c.testMetric.ci[1])})` : '',
      ` on ${c.run.testRows} held-out rows the search never saw.`,
    ],
  ];
  if (c.ab) facts.push([`Against ${c.ab.baseline}: `, c.ab.message]);
  if (c.success) facts.push(['Success criterion: ', c.success.message, '.']);
  return [h(1, `Model card: predicting ${project.target}`), p(...lede), list(facts)];
}

function winnerWords(c: ModelCardInput): string {
  const m = c.model.members;
  if (m.length === 1) return familyDescription(m[0].model.family, c.project.task);
  return `a weighted ensemble of ${m.length} models (${m.map((x) => familyDescription(x.model.family, c.project.task).split(' (')[0]).join(', ')})`;
}

function joinCodes(items: readonly string[], max = 20): Inline[] {
  const out: Inline[] = [];
  items.slice(0, max).forEach((s, i) => {
    if (i > 0) out.push(', ');
    out.push({ code: s });
  });
  if (items.length > max) out.push(` and ${items.length - max} more`);
  return out;
}

function intendedUse(c: ModelCardInput): Block[] {
  const { project } = c;
  const metric = METRICS[project.metric];
  const items: Inline[][] = [
    [
      'Predicts ',
      { code: project.target },
      project.task === 'regression' ? ' (a number) ' : ' (a class, with a probability for every class) ',
      'for rows that have the same input columns, with the same meaning, as the training data.',
    ],
    [`Chosen and judged by ${metric.label} (${metric.greaterIsBetter ? 'higher' : 'lower'} is better) on held-out data.`],
  ];
  if (project.successThreshold !== undefined) {
    items.push([
      `Goal set for the project: ${metric.label} ${metric.greaterIsBetter ? '≥' : '≤'} ${project.successThreshold} on held-out data (the success criterion).`,
    ]);
  }
  if (project.baselineColumn)
    items.push(['Meant to improve on the existing process recorded in column ', { code: project.baselineColumn }, ', with which it is compared below.']);
  else if (c.ab) items.push([`Compared below with ${c.ab.baseline}, so its value over a simple rule is visible.`]);
  items.push([
    'Use: batch scoring of new rows (',
    { code: 'predict.mjs' },
    ' in a browser or Node, the CLI), or an HTTP service on this machine (',
    { code: 'serve.mjs' },
    ').',
  ]);
  return [h(2, 'Intended use'), list(items)];
}

function limitations(c: ModelCardInput): Block[] {
  const { project, data } = c;
  const items: Inline[][] = [
    [
      'Out of scope: rows from another population, place or period than the training data; the model has only seen ',
      `${data.rows} rows of `,
      { code: data.name },
      ' and its accuracy elsewhere is unknown.',
    ],
    [
      'Out of scope: decisions with legal or similarly significant effects on people without human review. The model learns correlations in past data, not causes, and repeats any bias in how that data was collected or labelled.',
    ],
    [
      'Numbers far outside the training range (see the datasheet) are extrapolated by a model that never saw them; categories the model never saw are treated as its "other" / unknown level.',
    ],
  ];
  if (c.run.testRows < 200) items.push([`The test split has only ${c.run.testRows} rows, so its metrics are uncertain (see the wide confidence intervals).`]);
  if (project.task !== 'regression' && data.target.classes) {
    const counts = data.target.classes.map((x) => x.count);
    const total = counts.reduce((a, b) => a + b, 0);
    const rare = data.target.classes.filter((x) => x.count < 0.1 * total);
    if (rare.length)
      items.push([
        'Imbalanced classes: ',
        ...joinCodes(rare.map((x) => x.label)),
        ` ${rare.length === 1 ? 'is' : 'are'} under 10 % of the rows; check the per-class results before relying on ${rare.length === 1 ? 'its' : 'their'} predictions.`,
      ]);
  }
  if (c.model.members.some((m) => m.model.family === 'knn')) {
    items.push([
      'The k-nearest-neighbours member stores its (preprocessed) training rows in model.json: treat the bundle as you would the training data, and expect scoring to slow down as that data grows.',
    ]);
  }
  if (c.run.cancelled) items.push(['The search was stopped before its budget ran out: a longer search may find a better model.']);
  if (c.success && !c.success.met) items.push(["The model does not meet the project's success criterion (see Evaluation)."]);
  if (c.ab && c.ab.verdict !== 'better') items.push([`The model is not shown to beat ${c.ab.baseline} (see Evaluation).`]);
  const leak = data.warnings.filter((w) => /leak/i.test(w.kind));
  if (leak.length) items.push(['The data profile flagged possible target leakage: ', leak.map((w) => w.message).join(' ')]);
  return [h(2, 'Limitations and out-of-scope uses'), list(items)];
}

function datasheet(c: ModelCardInput): Block[] {
  const d = c.data;
  const blocks: Block[] = [
    h(2, 'Training data'),
    p(
      'File ',
      { code: d.name },
      `: ${d.rows} rows, ${d.columns} columns${d.bytes !== undefined ? `, ${d.bytes} bytes` : ''}; SHA-256 `,
      { code: d.sha256 },
      `. ${d.duplicateRows > 0 ? `${d.duplicateRows} rows duplicate an earlier row. ` : ''}` +
        `The search saw ${c.run.searchRows} rows (${validationLabel(c)}); ${c.run.testRows} rows were held out for the test` +
        (d.target.missing > 0 ? `; ${d.target.missing} rows without a target were not used` : '') +
        '.',
    ),
  ];
  if (d.sample) {
    const n = (v: number) => v.toLocaleString('en-US');
    blocks.push(
      p(
        `The file has ${n(d.sample.totalRows)} rows; Sieve read a seeded random sample of ${n(d.sample.keptRows)} of them (${d.sample.method}${d.sample.stratifiedBy !== undefined ? ` stratified by ${quoteName(d.sample.stratifiedBy)}, so each of its values keeps its share of the file` : ''}, seed ${d.sample.seed}) to fit the memory or row limit, so the model and every figure here are about that sample.`,
      ),
    );
  }
  if (d.target.classes) {
    const total = d.target.classes.reduce((a, x) => a + x.count, 0);
    blocks.push(
      h(3, `Target: ${d.target.name}`),
      table(
        ['class', 'rows', 'share'],
        d.target.classes.map((x) => [{ code: x.label }, String(x.count), pct(x.count, total)]),
        [false, true, true],
      ),
    );
  } else if (d.target.distribution) {
    const s = d.target.distribution;
    blocks.push(
      h(3, `Target: ${d.target.name}`),
      table(
        ['min', '25 %', 'median', '75 %', 'max', 'mean', 'std'],
        [[s.min, s.p25, s.median, s.p75, s.max, s.mean, s.std].map((v) => fmt(v))],
        [true, true, true, true, true, true, true],
      ),
    );
  }
  blocks.push(
    h(3, 'Input columns'),
    table(
      ['column', 'type', 'missing', 'distinct', 'values'],
      d.inputs.map((x) => [{ code: x.name }, x.type, `${x.missing} (${pct(x.missing, d.rows)})`, String(x.distinct), x.summary]),
      [false, false, true, true, false],
    ),
  );
  if (c.droppedFeatures && c.droppedFeatures.length > 0) {
    blocks.push(
      h(3, 'Columns not used'),
      table(
        ['column', 'why'],
        c.droppedFeatures.map((x) => [{ code: x.name }, x.reason]),
      ),
    );
  }
  if (d.warnings.length > 0) blocks.push(h(3, 'Data warnings'), list(d.warnings.map((w) => [w.message])));
  return blocks;
}

function pipeline(c: ModelCardInput): Block[] {
  const { model, project } = c;
  const blocks: Block[] = [h(2, 'Pipeline and model')];
  if (model.members.length > 1) {
    blocks.push(
      p(
        `A weighted average of ${model.members.length} models' ${project.task === 'regression' ? 'predictions' : 'class probabilities'}, the weights chosen by greedy ensemble selection (Caruana) on out-of-fold predictions${c.winner.note ? `, then ${c.winner.note}` : ''}:`,
      ),
      table(
        ['member', 'model', 'weight'],
        model.members.map((m, i) => [String(i + 1), memberName(c, i), m.weight.toFixed(3)]),
        [false, false, true],
      ),
    );
  }
  model.members.forEach((m, i) => {
    const fm = m.model;
    if (model.members.length > 1) blocks.push(h(3, `Member ${i + 1}: ${familyDescription(fm.family, project.task)}`));
    else
      blocks.push(
        p(
          { strong: familyDescription(fm.family, project.task) },
          ` on ${fm.pipeline.inputColumns.length} input columns (${fm.pipeline.features.length} features after preprocessing).`,
        ),
      );
    if (model.members.length > 1)
      blocks.push(p(`${fm.pipeline.inputColumns.length} input columns, ${fm.pipeline.features.length} features after preprocessing.`));
    const steps = describeSteps(fm.pipeline.steps);
    blocks.push(
      p('Preprocessing (fitted on the training rows only):'),
      list((steps.length ? steps : ['None: the model reads the columns as they are.']).map((s) => [s])),
    );
    if (fm.pipeline.notes.length) blocks.push(list(fm.pipeline.notes.map((n) => [n])));
    const params = paramRows(fm);
    if (params.length)
      blocks.push(
        p('Hyperparameters:'),
        table(
          ['parameter', 'value'],
          params.map(([k, v]) => [{ code: k }, v]),
        ),
      );
  });
  return blocks;
}

function memberName(c: ModelCardInput, i: number): string {
  const id = c.winner.members?.[i]?.id;
  const entry = id !== undefined ? c.leaderboard?.find((e) => e.id === id) : undefined;
  const family = familyDescription(c.model.members[i].model.family, c.project.task).split(' (')[0];
  return entry ? `${family} (trial #${entry.id}, CV ${fmt(entry.cvScore)})` : family;
}

/** "5-fold cross-validation", "3× repeated 5-fold cross-validation" or "one holdout". */
function validationLabel(c: ModelCardInput): string {
  const v = c.run.validation;
  if (v?.kind === 'holdout') return 'one stratified holdout';
  if (v?.kind === 'repeated-kfold') return `repeated ${c.run.folds}-fold cross-validation`;
  return `${c.run.folds}-fold cross-validation`;
}

function evaluation(c: ModelCardInput): Block[] {
  const { project } = c;
  const metric = METRICS[project.metric];
  const blocks: Block[] = [
    h(2, 'Evaluation'),
    p(
      `Validated ${metric.label} of the winner on the ${c.run.searchRows} search rows (${validationLabel(c)}): `,
      { strong: fmt(c.winner.cvScore) },
      Number.isFinite(c.winner.cvStd) ? ` ± ${fmt(c.winner.cvStd)} (standard deviation over folds).` : '.',
      c.run.validation ? ` Why this validation: ${c.run.validation.reason}.` : '',
      c.run.refitRows !== undefined && c.run.refitRows < c.run.searchRows
        ? ` Then it was refitted on a stratified sample of ${c.run.refitRows} of the search rows (all of them would not fit the time budget) and scored once on the ${c.run.testRows} test rows:`
        : ` Then it was refitted on all search rows and scored once on the ${c.run.testRows} test rows:`,
    ),
  ];
  const rows: Cell[][] = Object.entries(c.test).map(([name, value]) => {
    const info = METRICS[name as MetricName];
    const isProject = name === project.metric;
    const ci = isProject && c.testMetric ? `${fmt(c.testMetric.ci[0])} to ${fmt(c.testMetric.ci[1])}` : '';
    return [isProject ? { strong: info?.label ?? name } : (info?.label ?? name), fmt(value), ci];
  });
  blocks.push(table(['test metric', 'value', '95 % CI (bootstrap)'], rows, [false, true, true]));
  if (c.ab) {
    const ab = c.ab;
    const label = METRICS[ab.metric]?.label ?? ab.metric;
    blocks.push(
      h(3, 'Against the existing process'),
      p(ab.message),
      table(
        ['', label],
        [
          ['this model', fmt(ab.model)],
          [ab.baseline, fmt(ab.baselineValue)],
          ['difference (model − existing)', `${fmt(ab.diff)} (95 % CI ${fmt(ab.ci[0])} to ${fmt(ab.ci[1])})`],
          [`${ab.test} p-value`, formatP(ab.pValue)],
          ['verdict', ab.verdict === 'better' ? 'better' : ab.verdict === 'worse' ? 'worse' : 'no significant difference'],
        ],
        [false, true],
      ),
    );
  } else {
    blocks.push(h(3, 'Against the existing process'), p('No comparison with an existing process was recorded for this export.'));
  }
  blocks.push(h(3, 'Success criterion'));
  if (c.success) blocks.push(p({ strong: c.success.met ? 'Met' : 'Not met' }, `: ${c.success.message}.`));
  else blocks.push(p('No success criterion was set for this project.'));
  return blocks;
}

function importance(c: ModelCardInput): Block[] {
  let imp = c.importance;
  if (!imp || imp.items.length === 0) {
    const gains = gainImportance(c.model);
    if (gains.length) imp = { kind: 'gain', items: gains };
  }
  if (!imp || imp.items.length === 0) return [h(2, 'Feature importance'), p('No importance was computed for this model.')];
  const top = imp.items.slice(0, 20);
  const permutation = imp.kind === 'permutation';
  const metricLabel = imp.metric ? METRICS[imp.metric].label : 'the metric';
  return [
    h(2, 'Feature importance'),
    p(
      permutation
        ? `How much the test ${metricLabel} worsens when one input column is shuffled (mean ± standard deviation over repeats); near zero means the model does not rely on it.`
        : "Share of the trees' split gain per input column (how much each column's splits improved the fit in training).",
    ),
    table(
      ['column', permutation ? 'importance' : 'share of gain'],
      top.map((x) => [{ code: x.feature }, permutation ? `${fmt(x.value)}${x.std !== undefined ? ` ± ${fmt(x.std)}` : ''}` : pct(x.value, 1)]),
      [false, true],
    ),
    ...(imp.items.length > top.length ? [p(`${imp.items.length - top.length} more columns with less importance are not listed.`)] : []),
  ];
}

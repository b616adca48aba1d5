import { describe, expect, it } from 'vitest';
import {
  checkGoal,
  engineRemovedColumns,
  idLikeColumns,
  metricForTask,
  metricOptions,
  monotonicCandidates,
  type GoalValues,
} from '../../../src/app/goal-check.ts';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { bundleFiles } from '../../../src/core/export/bundle.ts';
import { bundleInputFromExperiment } from '../../../src/core/export/from-experiment.ts';
import { loadModelSync } from '../../../src/core/export/runtime/load.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

const n = 40;
const data = frame(
  cat(
    'id',
    Array.from({ length: n }, (_, i) => `row-${i}`),
    'identifier',
  ),
  num(
    'x',
    Array.from({ length: n }, (_, i) => i * 0.7),
  ),
  cat(
    'colour',
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'red' : 'blue')),
  ),
  cat(
    'label',
    Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'yes' : 'no')),
  ),
  cat(
    'same',
    Array.from({ length: n }, () => 'k'),
  ),
  num(
    'today',
    Array.from({ length: n }, (_, i) => i % 2),
  ),
);

function goal(over: Partial<GoalValues> = {}): GoalValues {
  return { target: 'label', task: 'binary', metric: 'roc_auc', threshold: '', budget: 30, search: 'tpe', baseline: '', excluded: [], ...over };
}

describe('checkGoal', () => {
  it('asks for a target first, without calling it an error', () => {
    const check = checkGoal(data, goal({ target: '', task: '', metric: '' }));
    expect(check.definition).toBeNull();
    expect(check.needsTarget).toBe(true);
  });

  it('builds the engine definition and what the engine resolves from it', () => {
    const check = checkGoal(data, goal({ threshold: ' 0.8 ', excluded: ['colour', 'label'], baseline: 'today' }));
    expect(check.problem).toBeNull();
    expect(check.definition).toEqual({
      target: 'label',
      task: 'binary',
      metric: 'roc_auc',
      budgetSeconds: 30,
      search: 'tpe',
      exclude: ['colour'],
      baselineColumn: 'today',
      successThreshold: 0.8,
    });
    // The identifier and the constant column go, the exclusion and the baseline too.
    expect(check.project?.features).toEqual(['x']);
    expect(check.project?.removed.map((r) => r.name).sort()).toEqual(['colour', 'id', 'same', 'today']);
  });

  it('rejects a budget out of range and a threshold that is not a number or cannot be met', () => {
    expect(checkGoal(data, goal({ budget: 2 })).problem).toMatch(/between 5 and 3600 seconds/);
    expect(checkGoal(data, goal({ budget: Number.NaN })).problem).toMatch(/between 5 and 3600 seconds/);
    expect(checkGoal(data, goal({ threshold: 'high' })).problem).toMatch(/must be a number.*“high”/);
    expect(checkGoal(data, goal({ threshold: '1.2' })).problem).toMatch(/between 0 and 1/);
    // What the user typed is quoted, never in full: a pasted megabyte gives a short message.
    expect(checkGoal(data, goal({ threshold: 'x'.repeat(1_000_000) })).problem!.length).toBeLessThan(200);
    // RMSE has no upper bound: any number is a possible threshold.
    expect(checkGoal(data, goal({ target: 'x', task: 'regression', metric: 'rmse', threshold: '12.5' })).problem).toBeNull();
  });

  it('passes on the engine’s own message, as a sentence', () => {
    const constant = checkGoal(data, goal({ target: 'same' }));
    expect(constant.definition).toBeNull();
    expect(constant.problem).toMatch(/^Target "same" has one class only/);
    expect(constant.problem).toMatch(/\.$/);
    expect(checkGoal(data, goal({ target: 'colour', task: 'regression', metric: 'rmse' })).problem).toMatch(/regression needs a numeric target/);
  });
});

describe('checkGoal with a champion model as the existing process', () => {
  const m = 200;
  const xs = Array.from({ length: m }, (_, i) => (i * 37) % m);
  const train = frame(
    num('x', xs),
    cat(
      'colour',
      xs.map((v) => (v % 3 === 0 ? 'red' : 'blue')),
    ),
    cat(
      'label',
      xs.map((v) => (v >= m / 2 ? 'yes' : 'no')),
    ),
    num(
      'today',
      xs.map((v) => v % 2),
    ),
  );

  async function championModel() {
    const result = await runExperiment(train, { target: 'label', maxTrials: 1, families: ['naive_bayes'], seed: 1 }, { runner: new InProcessRunner() });
    const { modelFile } = bundleFiles(
      bundleInputFromExperiment(result, undefined, {
        frame: train,
        dataset: { name: 'train.csv', sha256: '0'.repeat(64) },
        predictRuntime: 'export {};',
        appVersion: '0',
      }),
    );
    result.model.dispose();
    return loadModelSync(modelFile, { verify: false });
  }

  it('accepts a champion that fits the data, and then uses no baseline column', async () => {
    const model = await championModel();
    expect(model.inputColumns).toContain('x');
    const check = checkGoal(train, goal({ champion: true, baseline: 'today' }), model);
    expect(check.problem).toBeNull();
    expect(check.champion).toBe(true);
    expect(check.definition?.baselineColumn).toBeUndefined();
    expect(checkGoal(train, goal(), model).champion).toBe(false);
  });

  it('says which column the data lacks, or what else differs, next to the form', async () => {
    const model = await championModel();
    const renamed = frame(num('x2', xs), ...train.columns.slice(1));
    const missing = checkGoal(renamed, goal({ champion: true }), model);
    expect(missing.definition).toBeNull();
    expect(missing.problem).toBe(
      'The champion model needs column "x", which this data does not have. Choose another existing process, or load the data the champion was trained on.',
    );
    const other = checkGoal(train, goal({ target: 'today', task: 'binary', champion: true }), model);
    expect(other.problem).toMatch(/^The champion model predicts "label", but this project predicts "today"\./);
    expect(checkGoal(train, goal({ champion: true }), null).problem).toMatch(/champion model is no longer loaded: load its bundle again/);
  });
});

describe('metric choices', () => {
  it('offers the task’s metrics with their direction, and keeps a metric that still fits', () => {
    expect(metricOptions('regression').map((m) => m.value)).toEqual(['rmse', 'mae', 'r2']);
    expect(metricOptions('binary').find((m) => m.value === 'log_loss')?.higherIsBetter).toBe(false);
    expect(metricOptions('')).toEqual([]);
    expect(metricForTask('multiclass', 'accuracy')).toBe('accuracy');
    expect(metricForTask('regression', 'accuracy')).toBe('rmse');
    expect(metricForTask('binary', '')).toBe('roc_auc');
  });
});

describe('missingColumnsMessage', () => {
  it('names at most 20 missing columns, each cut to 60 characters', async () => {
    const { missingColumnsMessage } = await import('../../../src/app/bundle-export.ts');
    const model = { inputColumns: Array.from({ length: 500 }, (_, i) => `${'long'.repeat(10_000)}-${i}`) } as Parameters<typeof missingColumnsMessage>[0];
    const message = missingColumnsMessage(model, frame(num('x', [1, 2])), 'new.csv')!;
    expect(message).toMatch(/^new\.csv lacks columns “long.*\.\.\.”, .* and 480 more, which the model needs\.$/);
    expect(message.length).toBeLessThan(20 * 70 + 200);
  });
});

describe('engineRemovedColumns', () => {
  it("is what the engine drops whatever the form says, with the engine's reason", () => {
    const values = goal({ excluded: ['colour'], baseline: 'today' });
    const removed = engineRemovedColumns(checkGoal(data, values).project!, values);
    expect([...removed.keys()].sort()).toEqual(['id', 'same']);
    expect(removed.get('id')).toMatch(/^identifier/);
    expect(removed.get('same')).toMatch(/^constant/);
  });
});

describe('idLikeColumns', () => {
  it('is the columns flagged ID-like that are not typed as identifiers (the engine drops those itself)', () => {
    const profile = {
      columns: [
        { name: 'id', type: 'identifier' },
        { name: 'code', type: 'categorical' },
        { name: 'x', type: 'numeric' },
      ],
      warnings: [
        { kind: 'id-like', column: 'id' },
        { kind: 'id-like', column: 'code' },
        { kind: 'id-like', column: 'code' },
        { kind: 'constant', column: 'x' },
      ],
    } as unknown as Parameters<typeof idLikeColumns>[0]['profile'];
    expect(idLikeColumns({ profile })).toEqual(['code']);
  });
});

describe('monotonicCandidates', () => {
  it('offers the numeric inputs only: not the target, the existing process, excluded or engine-removed columns', () => {
    const columns = [
      { name: 'age', type: 'numeric' },
      { name: 'income', type: 'numeric' },
      { name: 'y', type: 'numeric' },
      { name: 'score_today', type: 'numeric' },
      { name: 'city', type: 'categorical' },
      { name: 'row', type: 'numeric' },
      { name: 'debt', type: 'numeric' },
    ];
    const values = { target: 'y', baseline: 'score_today', excluded: ['debt'] };
    expect(monotonicCandidates(columns, values, new Map([['row', 'an identifier']]))).toEqual(['age', 'income']);
    expect(monotonicCandidates(columns, { target: '', baseline: '', excluded: [] }, new Map())).toEqual(['age', 'income', 'y', 'score_today', 'row', 'debt']);
  });
});

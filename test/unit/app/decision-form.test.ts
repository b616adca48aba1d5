import { describe, expect, it } from 'vitest';
import { decisionDefinition, emptyDecisionForm } from '../../../src/app/decision-form.ts';

describe('decisionDefinition', () => {
  it('turns the costs form into the engine fields', () => {
    const form = { ...emptyDecisionForm(), mode: 'costs' as const, fp: '1', fn: '5', savings: '10,000', positive: 'yes' };
    expect(decisionDefinition(form, true)).toEqual({ fields: { positive: 'yes', costs: { fp: 1, fn: 5 }, successSavingsPer1000: 10000 }, problem: null });
  });

  it('turns a target in percent into a share', () => {
    const form = { ...emptyDecisionForm(), mode: 'target' as const, targetKind: 'recall' as const, targetPercent: '80' };
    expect(decisionDefinition(form, true).fields.operatingTarget).toEqual({ kind: 'recall', value: 0.8 });
  });

  it('says what is wrong', () => {
    expect(decisionDefinition({ ...emptyDecisionForm(), mode: 'costs', fp: 'abc' }, true).problem).toMatch(/false alarm must be a number/);
    expect(decisionDefinition({ ...emptyDecisionForm(), mode: 'costs' }, true).problem).toMatch(/Give the cost/);
    expect(decisionDefinition({ ...emptyDecisionForm(), mode: 'costs', fp: '-1', fn: '2' }, true).problem).toMatch(/≥ 0/);
    expect(decisionDefinition({ ...emptyDecisionForm(), mode: 'target', targetPercent: '150' }, true).problem).toMatch(/between 0 and 100/);
  });

  it('keeps only the calibration for a task that is not binary', () => {
    const form = { ...emptyDecisionForm(), mode: 'costs' as const, fp: '1', fn: '5', calibration: 'isotonic' as const };
    expect(decisionDefinition(form, false)).toEqual({ fields: { calibration: 'isotonic' }, problem: null });
  });
});

describe('the multiclass cost matrix', () => {
  it('fills empty cells with 0 on the diagonal and 1 elsewhere, and reads the rest', () => {
    const form = {
      ...emptyDecisionForm(),
      mode: 'costs' as const,
      matrix: [
        ['', '5', ''],
        ['', '', ''],
        ['2', '', ''],
      ],
    };
    expect(decisionDefinition(form, false, 3).fields.costMatrix).toEqual([
      [0, 5, 1],
      [1, 0, 1],
      [2, 1, 0],
    ]);
    expect(decisionDefinition({ ...form, matrix: [['x']] }, false, 3).problem).toMatch(/≥ 0/);
    // Nothing typed: no matrix (the most probable class).
    expect(decisionDefinition({ ...form, matrix: [] }, false, 3).fields.costMatrix).toBeUndefined();
  });
});

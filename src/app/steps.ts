/**
 * The workflow steps shown in the header, in order. A step is enabled only when it is built
 * (`IMPLEMENTED_STEPS`) and what it needs is there (every step after Data needs a loaded dataset).
 * Later issues add a step to IMPLEMENTED_STEPS when its page exists; nothing here pretends.
 */
export type StepId = 'data' | 'goal' | 'search' | 'compare' | 'ship';

export interface WorkflowStep {
  id: StepId;
  label: string;
  enabled: boolean;
  /** Why a step is disabled, for its tooltip and screen readers. */
  disabledReason?: string;
}

const STEP_LABELS: ReadonlyArray<[StepId, string]> = [
  ['data', 'Data'],
  ['goal', 'Goal'],
  ['search', 'Search'],
  ['compare', 'Compare'],
  ['ship', 'Ship'],
];

export const IMPLEMENTED_STEPS: ReadonlySet<StepId> = new Set<StepId>(['data', 'goal', 'search', 'compare', 'ship']);

/** Why a step that is not built yet is disabled (shown as its tooltip). */
const NOT_BUILT_REASON: Partial<Record<StepId, string>> = {};

/** Steps that show a finished run's results: Compare (its test scores) and Ship (its model). */
const NEEDS_RESULTS: ReadonlySet<StepId> = new Set<StepId>(['compare', 'ship']);

export function workflowSteps(state: { hasData: boolean; hasResults?: boolean }): WorkflowStep[] {
  return STEP_LABELS.map(([id, label]) => {
    if (id === 'data') return { id, label, enabled: true };
    if (!state.hasData) return { id, label, enabled: false, disabledReason: 'Load a dataset first' };
    if (!IMPLEMENTED_STEPS.has(id)) return { id, label, enabled: false, disabledReason: NOT_BUILT_REASON[id] ?? 'Not available yet' };
    if (NEEDS_RESULTS.has(id) && !state.hasResults) return { id, label, enabled: false, disabledReason: 'Finish a search first' };
    return { id, label, enabled: true };
  });
}

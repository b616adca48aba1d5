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

export const IMPLEMENTED_STEPS: ReadonlySet<StepId> = new Set<StepId>(['data']);

export function workflowSteps(state: { hasData: boolean }): WorkflowStep[] {
  return STEP_LABELS.map(([id, label]) => {
    if (id === 'data') return { id, label, enabled: true };
    if (!state.hasData) return { id, label, enabled: false, disabledReason: 'Load a dataset first' };
    if (!IMPLEMENTED_STEPS.has(id)) return { id, label, enabled: false, disabledReason: 'Not available yet' };
    return { id, label, enabled: true };
  });
}

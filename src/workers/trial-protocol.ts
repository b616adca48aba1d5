/**
 * Messages between the experiment worker's pool (trial-pool.ts) and a trial worker (trial.worker.ts).
 * Order: `setup` (choose the backend, before any data: a warm pool is ready when the user clicks
 * Start), `init` with the run's TrialContext, then one `trial` at a time.
 */
import type { TrialContext, TrialResult, TrialSpec } from '../core/automl/types.ts';
import type { BackendReport } from '../app/backend-summary.ts';
import type { BackendPreferences } from './backend.ts';

export type TrialWorkerRequest =
  { type: 'setup'; prefs: BackendPreferences } | { type: 'init'; ctx: TrialContext } | { type: 'trial'; spec: TrialSpec } | { type: 'lose-device' };

export type TrialWorkerResponse =
  /** After setup, and again whenever the backend changes (a lost GPU device). */
  | { type: 'backend'; report: BackendReport }
  /** The context of `init` is in place. */
  | { type: 'ready' }
  | { type: 'result'; result: TrialResult }
  | { type: 'error'; id: number; message: string };

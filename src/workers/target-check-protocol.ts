/** Messages between the Goal form (src/app/target-check-client.ts) and target-check.worker.ts. */
import type { Frame } from '../core/data/frame.ts';
import type { Warning } from '../core/data/profile.ts';

export type TargetCheckRequest = { type: 'frame'; frame: Frame } | { type: 'warnings'; id: number; target: string };

export type TargetCheckResponse = { type: 'warnings'; id: number; warnings: Warning[] } | { type: 'error'; id: number; message: string };

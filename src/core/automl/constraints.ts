/**
 * Deployment constraints a project may set: the largest prediction time per 1,000 rows (measured with
 * the bundle's own runtime on this device), the largest bundle size, a model a person can read, and
 * monotonic effects of numeric inputs.
 */
export interface DeploymentConstraints {
  /** Milliseconds to predict 1,000 rows with the bundle's runtime, at most. */
  maxPredictMs?: number;
  /** Kilobytes of the exported bundle (zip), at most. */
  maxBundleKb?: number;
  /** Only families a person can read: a linear scorecard or one shallow decision tree. */
  readable?: boolean;
  /** Per numeric input column: +1 the prediction may only rise with it, −1 only fall. */
  monotonic?: Record<string, 1 | -1>;
}

export function hasConstraints(c: DeploymentConstraints | undefined): c is DeploymentConstraints {
  return !!c && (c.maxPredictMs !== undefined || c.maxBundleKb !== undefined || !!c.readable || Object.keys(c.monotonic ?? {}).length > 0);
}

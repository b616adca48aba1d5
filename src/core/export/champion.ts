/**
 * A loaded bundle as the champion (the existing process) of a new run: AssessOptions.champion. Its
 * predictions on the test rows come from the bundle's own model, mapped onto this project's classes.
 */
import type { AssessOptions } from '../automl/assess.ts';
import type { ResolvedProject } from '../automl/types.ts';
import type { Frame } from '../data/frame.ts';
import type { Prediction } from '../eval/metrics.ts';
import { frameRows } from './rows.ts';
import type { SieveModel } from './runtime/model.ts';

export type Champion = NonNullable<AssessOptions['champion']>;

/** Checks that the model predicts what the project predicts; throws a message saying what differs. */
export function checkChampion(model: SieveModel, project: ResolvedProject, frame: Frame): void {
  if (model.target !== project.target) {
    throw new Error(`The champion model predicts "${model.target}", but this project predicts "${project.target}".`);
  }
  const kind = (t: string) => (t === 'regression' ? 'regression' : 'classification');
  if (kind(model.task) !== kind(project.task)) throw new Error(`The champion model does ${model.task}, but this project does ${project.task}.`);
  if (project.task !== 'regression') {
    const extra = model.classes.filter((c) => !project.classes.includes(c));
    const absent = project.classes.filter((c) => !model.classes.includes(c));
    if (extra.length || absent.length) {
      throw new Error(
        `The champion model's classes (${model.classes.join(', ')}) differ from this project's (${project.classes.join(', ')}): ` +
          `${absent.length ? `it never predicts ${absent.join(', ')}` : `it predicts ${extra.join(', ')}, which this data does not have`}.`,
      );
    }
  }
  const missing = model.inputColumns.filter((c) => !frame.columns.some((col) => col.name === c));
  if (missing.length)
    throw new Error(
      `The champion model needs column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, which this data does not have.`,
    );
}

export function championFromModel(model: SieveModel, project: ResolvedProject, name = 'the champion model'): Champion {
  return {
    name,
    async predict(frame: Frame, rows: Int32Array): Promise<Prediction> {
      checkChampion(model, project, frame);
      const raw = model.predictRaw(frameRows(frame, model.inputColumns, rows));
      if (raw.errors.length) {
        const e = raw.errors[0];
        throw new Error(
          `The champion model cannot score ${new Set(raw.errors.map((x) => x.row)).size} test rows; first: ${e.message.replace(/^row (\d+)/, (_, r) => `data row ${rows[Number(r) - 1] + 1}`)}`,
        );
      }
      if (project.task === 'regression') return { values: raw.values };
      // Reorder the champion's probabilities into this project's class order.
      const K = project.classes.length;
      const from = project.classes.map((c) => model.classes.indexOf(c));
      const n = rows.length;
      const proba = new Float64Array(n * K);
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 0; k < K; k++) {
          proba[i * K + k] = raw.proba![i * model.classes.length + from[k]];
          if (proba[i * K + k] > proba[i * K + best]) best = k;
        }
        values[i] = best;
      }
      return { values, proba };
    },
  };
}

/** How a run names a bundle's model as the existing process: "the champion model (titanic-sieve-bundle.zip, exported 2025-01-02)". */
export function championName(fileName: string, created: string): string {
  return `the champion model (${fileName}, exported ${created.slice(0, 10)})`;
}

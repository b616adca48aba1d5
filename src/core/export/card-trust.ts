/**
 * The model card's "Trust in deployment" section (issue #15): what the intervals or sets promise, in
 * plain words, on which one assumption, how they did on the test split (overall and by slice), and
 * the drift check that tells when the assumption no longer holds.
 */
import type { Conformal } from '../eval/conformal.ts';
import type { ConformalReport } from '../eval/conformal-report.ts';
import type { DriftProfile } from '../drift/profile.ts';
import { h, list, p, table, type Block } from './card-doc.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const num = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString());

export function trustCardBlocks(
  target: string,
  conformal: Conformal | undefined,
  report: ConformalReport | undefined,
  drift: DriftProfile | undefined,
): Block[] {
  if (!conformal && !drift) return [];
  const blocks: Block[] = [h(2, 'Trust in deployment')];
  if (conformal) conformalBlocks(blocks, target, conformal, report);
  if (drift) driftBlocks(blocks, drift);
  return blocks;
}

/** What the intervals or sets promise, how they are calibrated, their one assumption, and the test split's coverage. */
function conformalBlocks(blocks: Block[], target: string, conformal: Conformal, report: ConformalReport | undefined): void {
  const level = pct(conformal.coverage);
  if (conformal.kind === 'interval') {
    blocks.push(
      p(
        `Every prediction comes with an interval [lower, upper] (`,
        { code: 'interval' },
        ' in predict.mjs and serve.mjs, ',
        { code: `${target}_lower` },
        ' / ',
        { code: `${target}_upper` },
        ` in scored CSV files). The guarantee: for new rows, the true ${target} lies inside its interval at least ${level} of the time. `,
        conformal.method === 'mondrian'
          ? 'The width depends on the predicted value (one width per range of predictions, each with the same guarantee), so rows whose predictions are typically less accurate get wider intervals.'
          : conformal.method === 'cqr'
            ? 'The width follows the row: two gradient-boosted models (quantile loss) predict a low and a high quantile from its inputs, and the calibration widens that range just enough for the guarantee (conformalised quantile regression).'
            : 'Every interval has the same width.',
      ),
    );
  } else {
    blocks.push(
      p(
        'Every prediction comes with a prediction set (',
        { code: 'set' },
        ' in predict.mjs and serve.mjs, ',
        { code: `${target}_set` },
        ` in scored CSV files, labels joined by "|"): the classes the model cannot rule out. The guarantee: for new rows, the true class is in the set at least ${level} of the time. A set with one class is a confident prediction; several classes mark an ambiguous row worth a human look; an empty set means no class reaches the level.`,
      ),
    );
  }
  blocks.push(
    p(
      { strong: 'How: ' },
      conformal.kind === 'interval' && conformal.method === 'cqr'
        ? "split conformal prediction: the quantile models were fitted on the first cross-validation fold's training rows and calibrated on its validation rows (which they never saw), never on the test split. "
        : 'split conformal prediction, calibrated on the out-of-fold predictions of the cross-validation (rows the scoring models did not train on), never on the test split. ',
      `Another coverage can be asked for: `,
      { code: 'model.predict(rows, { coverage: 0.8 })' },
      ' or ',
      { code: 'sieve predict --coverage 0.8' },
      '.',
    ),
    p(
      { strong: 'Its one assumption: ' },
      'new rows are exchangeable with the training rows — drawn from the same population, in no particular order. The guarantee is an average over rows, not a promise about any single row. It breaks when the data drifts: new kinds of customers, a changed measurement, a new category, a season the training data did not cover. The drift check below detects that.',
    ),
  );
  if (report) {
    const size =
      report.meanWidth !== undefined
        ? `mean width ${num(report.meanWidth)} (non-adaptive split conformal: ${num(report.baselineMeanWidth ?? NaN)})`
        : `mean set size ${report.meanSetSize!.toFixed(2)} (${pct(report.ambiguousShare ?? 0)} of rows ambiguous, ${pct(report.emptyShare ?? 0)} empty)`;
    blocks.push(
      p(
        `On the ${report.testRows} rows of the test split the ${report.meanWidth !== undefined ? 'intervals' : 'sets'} covered `,
        { strong: pct(report.achieved) },
        ` (target ${level}); ${size}. Calibrated on ${report.calibrationRows} out-of-fold rows.`,
      ),
      table(
        [
          report.meanWidth !== undefined ? 'predicted-value decile' : 'true class',
          'rows',
          'coverage',
          report.meanWidth !== undefined ? 'mean width' : 'mean set size',
        ],
        report.slices.map((s) => [s.name, String(s.rows), Number.isFinite(s.achieved) ? pct(s.achieved) : '—', Number.isFinite(s.mean) ? num(s.mean) : '—']),
        [false, true, true, true],
      ),
    );
  }
}

/** The drift check: what the bundle keeps, where the check runs, what it reports. */
function driftBlocks(blocks: Block[], drift: DriftProfile): void {
  blocks.push(
    h(3, 'Drift check'),
    p(
      `The bundle keeps a compact profile of the ${drift.columns[0]?.rows ?? 0} training rows: per column its deciles or most frequent categories, range and missing rate, and the distribution of the model's predictions on held-out rows. `,
      { code: 'sieve predict --drift' },
      ", the page's Ship step, ",
      { code: 'model.driftMonitor()' },
      " and serve.mjs's ",
      { code: 'GET /drift' },
      ' (the last 100 requests) compare scored rows with it and report per column:',
    ),
    list([
      ['PSI (population stability index) in the usual bands: under 0.1 stable, 0.1–0.25 moderate, over 0.25 major;'],
      ['the share of values outside the training range, categories never seen in training, and the change of the missing rate;'],
      ['the shift of the prediction distribution, and a one-line verdict.'],
    ]),
    p(
      'A small batch differs from the training rows by chance alone, so each check only counts when it also passes what sampling noise reaches with probability 0.001 at that batch size (for PSI the 99.9th percentile of its χ² approximation; out-of-range values and new categories against what an exchangeable row brings; the missing rate by a two-proportion test). ',
      { strong: 'When drift is major, the guarantee above may no longer hold: ' },
      'retrain on recent data (with this bundle as the champion to beat).',
    ),
  );
}

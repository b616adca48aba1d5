/**
 * Scoring a CSV of any size with a model (the Ship step's batch scoring): the file is read in batches
 * of rows (core/data/csv-batches.ts), each batch scored by the bundle's runtime and written out as CSV
 * text at once, so only one batch of rows is ever in memory; the scored file is a Blob of those parts
 * (which the browser may keep on disk). A bad row is listed with its row number in the file, never
 * dropped silently; past MAX_FAILED_KEPT the rest are counted. Runs in Node too (Blob is global there),
 * which is how it is tested.
 */
import { readCsvInBatches } from '../core/data/csv-batches.ts';
import { csvLine, predictionCells, predictionsCsv } from '../core/export/csv-out.ts';
import { frameRows } from '../core/export/rows.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import { missingColumnsMessage, scoredCsv, PREVIEW_ROWS } from './bundle-export.ts';
import { cellText } from '../core/data/frame.ts';
import type { DriftReport } from '../core/drift/check.ts';

/** Rows per batch: ~20 MB of row objects for a 25-column table, and a page that stays responsive between batches. */
export const ROWS_PER_BATCH = 20_000;
/** Failed rows listed (the rest counted). */
export const MAX_FAILED_KEPT = 1000;

export interface StreamedScores {
  fileName: string;
  rows: number;
  scored: number;
  /** The first MAX_FAILED_KEPT rows that could not be scored (1-based data rows of the file), their problems joined. */
  failed: { row: number; message: string }[];
  /** Rows that could not be scored, listed or not. */
  failedCount: number;
  header: string[];
  predictionHeader: string[];
  preview: { row: number; cells: string[]; prediction: string[] }[];
  /** The scored file: the original columns plus prediction (and proba_<class>), CRLF lines. */
  blob: Blob;
  /** The scored rows against the bundle's training profile (absent for bundles without one). */
  drift?: DriftReport;
  /** The file has the model's target column (so it can be retrained on). */
  hasTarget: boolean;
}

export interface StreamScoreOptions {
  rowsPerBatch?: number;
  totalBytes?: number;
  signal?: AbortSignal;
  /** Rows scored so far, after each batch. */
  onRows?: (rows: number) => void;
  /** Coverage of the intervals or sets (default: the model's). */
  coverage?: number;
}

export async function scoreCsvStream(
  model: SieveModel,
  source: string | Uint8Array | AsyncIterable<Uint8Array>,
  fileName: string,
  opts: StreamScoreOptions = {},
): Promise<StreamedScores> {
  const parts: Blob[] = [];
  let head: ReturnType<typeof scoredCsv> | null = null;
  let header: string[] = [];
  const failed: { row: number; message: string }[] = [];
  let failedCount = 0;
  let scored = 0;
  const uncertainty = model.uncertainty ? model.target : undefined;
  // Every batch's scored rows go into one drift check against the training profile.
  const monitor = model.hasDriftProfile ? model.driftMonitor() : null;
  const read = await readCsvInBatches(source, {
    rowsPerBatch: opts.rowsPerBatch ?? ROWS_PER_BATCH,
    totalBytes: opts.totalBytes,
    signal: opts.signal,
    onBatch: ({ frame, firstRow }) => {
      if (!head) {
        const missing = missingColumnsMessage(model, frame, fileName);
        if (missing) throw new Error(missing);
        header = frame.columns.map((c) => c.name);
      }
      const inputRows = frameRows(frame, model.inputColumns);
      const { predictions, errors } = model.score(inputRows, { coverage: opts.coverage });
      monitor?.add(inputRows, predictions);
      // Messages say "row N" of the rows scored together: renumbered to the row in the file.
      const renumbered = errors.map((e) => ({ ...e, row: e.row + firstRow, message: e.message.replace(/^row \d+/, `row ${e.row + firstRow}`) }));
      const batch = scoredCsv(fileName, frame, model, predictions, renumbered);
      if (!head) head = batch;
      failedCount += batch.failed.length;
      for (const f of batch.failed) if (failed.length < MAX_FAILED_KEPT) failed.push(f);
      scored += batch.scored;
      const cells = (r: number) => frame.columns.map((c) => cellText(c, r));
      let text: string;
      if (parts.length === 0) {
        text = predictionsCsv({ header, cells, rows: frame.rows, predictions, task: model.task, classes: model.classes, uncertainty });
      } else {
        const lines: string[] = [];
        for (let r = 0; r < frame.rows; r++) lines.push(csvLine([...cells(r), ...predictionCells(predictions[r], model.task, model.classes, uncertainty)]));
        text = `${lines.join('\r\n')}\r\n`;
      }
      parts.push(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      opts.onRows?.(firstRow + frame.rows);
    },
  });
  const first = head as ReturnType<typeof scoredCsv> | null;
  return {
    fileName,
    rows: read.rows,
    scored,
    failed,
    failedCount,
    header: first?.header ?? read.names,
    predictionHeader: first?.predictionHeader ?? [],
    preview: first?.preview.slice(0, PREVIEW_ROWS) ?? [],
    blob: new Blob(parts, { type: 'text/csv;charset=utf-8' }),
    drift: monitor?.report(),
    hasTarget: (first?.header ?? read.names).includes(model.target),
  };
}

/**
 * `sieve profile <file.csv> [--target <column>] [--ragged keep|skip] [--max-mb N] [--max-rows N] [--json]`
 *
 * Reads, types and profiles a CSV with the engine the page uses. Prints a table for people (unless
 * --json), then always one JSON object on the last line: rows, columns (name, type, missing, distinct,
 * summary), warnings (target warnings too with --target), the reader's notes, delimiter and encoding.
 */
import path from 'node:path';
import { columnByName } from '../core/data/frame.ts';
import type { IngestResult } from '../core/data/ingest.ts';
import { targetWarnings, type ColumnProfile, type Warning } from '../core/data/profile.ts';
import { maxRowsOption, readPlanned, sampledFrom } from './read-planned.ts';
import { clipText, quoteName } from '../core/export/runtime/message-text.ts';
import { CliError, numberOption, parseArgs, printResult, stringOption } from './args.ts';

const COMMAND = {
  usage: 'usage: sieve profile <file.csv> [--target <column>] [--ragged keep|skip] [--max-mb N] [--max-rows N] [--json]',
  options: ['target', 'ragged', 'max-mb', 'max-rows'],
  flags: ['json'],
};

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, COMMAND);
  const file = args.positionals[0];
  if (!file) throw new CliError(COMMAND.usage);
  const ragged = stringOption(args, 'ragged') ?? 'keep';
  if (ragged !== 'keep' && ragged !== 'skip') throw new CliError(`--ragged must be keep or skip, got ${quoteName(ragged)}`);
  const maxMb = numberOption(args, 'max-mb');
  const target = stringOption(args, 'target');

  const result = await readPlanned(file, maxRowsOption(args), {
    raggedRows: ragged,
    maxBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
  });
  const warnings: Warning[] = [...result.profile.warnings];
  if (target !== undefined) {
    try {
      columnByName(result.frame, target);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    warnings.push(...targetWarnings(result.frame, target));
  }
  const json = args.options.get('json') === true;
  const out = {
    file: path.resolve(file),
    rows: result.profile.rows,
    ...sampledFrom(result.sample),
    columns: result.profile.columns,
    warnings,
    duplicateRows: result.profile.duplicateRows,
    notes: result.notes,
    delimiter: result.delimiter,
    encoding: result.encoding,
  };
  printResult(out, json, json ? undefined : humanReport(file, result, warnings));
}

function humanReport(file: string, r: IngestResult, warnings: Warning[]): string {
  const delim = r.delimiter === '\t' ? 'tab' : r.delimiter;
  const lines = [`${file}: ${r.profile.rows} rows × ${r.profile.columns.length} columns (delimiter ${delim}, ${r.encoding})`, ''];
  const table = r.profile.columns.map((c) => [c.name, c.type, String(c.missing), String(c.distinct), summary(c)]);
  const head = ['column', 'type', 'missing', 'distinct', 'summary'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...table.map((row) => row[i].length))));
  const fmt = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : clipText(cell, widths[i]).padEnd(widths[i]))).join('  ');
  lines.push(fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...table.map(fmt));
  if (warnings.length) lines.push('', 'warnings:', ...warnings.map((w) => `  [${w.kind}] ${w.message}`));
  if (r.notes.length) lines.push('', 'notes:', ...r.notes.map((n) => `  [${n.kind}] ${n.message}`));
  return lines.join('\n');
}

function summary(c: ColumnProfile): string {
  if (c.numeric) {
    const n = c.numeric;
    if (c.type === 'datetime') return `${iso(n.min)} … ${iso(n.max)}`;
    return `min ${num(n.min)}  median ${num(n.quantiles.p50)}  max ${num(n.max)}  mean ${num(n.mean)}`;
  }
  if (!c.topLevels?.length) return '';
  // Identifiers and free text: every value is rare, so examples say more than counts.
  if (c.type === 'identifier' || c.type === 'text')
    return `e.g. ${c.topLevels
      .slice(0, 3)
      .map((l) => clipText(l.level, 20))
      .join(', ')}`;
  return c.topLevels
    .slice(0, 3)
    .map((l) => `${clipText(l.level, 20)} (${l.count})`)
    .join(', ');
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
const iso = (ms: number) => new Date(ms).toISOString().replace('T00:00:00.000Z', '');

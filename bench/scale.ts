/**
 * `npm run bench:scale [-- --sizes 100000,1000000 --only cli|page --budget 60 --budget-3m 120 --build --seed 1]`
 *
 * Large tables, end to end: for each size, the seeded table of bench/scale-table.ts (target `y`,
 * yes/no) is written to bench-out/scale-<rows>.csv (kept and reused: the generator is deterministic),
 * then
 *  - reference: scikit-learn's HistGradientBoostingClassifier with defaults on one thread
 *    (bench/hgb_defaults.py; test rows are every data row i with i % 5 == 4), when /usr/bin/python3
 *    has scikit-learn and pandas (for every size run, the page-only ones included);
 *  - CLI: `sieve run --budget B --test-rows <the same rows> --json` in a child process: wall time from
 *    spawn to exit, the CLI's own elapsedSeconds (end of reading → JSON line), the peak memory of its
 *    process tree (VmHWM of the process, worker threads included, plus the VmRSS of any child process,
 *    sampled every 200 ms), test ROC AUC, winner, trials;
 *  - page: the production build (dist/, built when missing or with --build) served by `vite preview`,
 *    Debian's Chromium through playwright-core: load the CSV, set the goal, Start; inside the page the
 *    time from the Start click to the first leaderboard row and to the results, the test ROC AUC from
 *    the results; the peak of the summed VmRSS of every Chromium process, sampled every 250 ms. The
 *    page draws its own test split (seeded), so its AUC is on different rows than the CLI's and HGB's.
 * Default sizes: 100000 and 1000000 for both, 3000000 for the page only (its budget: --budget-3m).
 * Prints a Markdown table and writes the raw figures to bench-out/scale-results.json.
 */
import { startPreview } from './preview.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { children, commandLine, descendants, PeakSampler, pssKb, statusKb } from './proc-memory.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.ts';
import { SCALE_TARGET, writeScaleCsv } from './scale-table.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'bench-out');
const PYTHON = '/usr/bin/python3';

// ---------------------------------------------------------------------------------------------- options

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value`);
  return value;
}
function fail(message: string): never {
  console.error(`bench:scale: ${message}`);
  process.exit(2);
}
function positiveNumber(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

const KNOWN = new Set(['--sizes', '--only', '--budget', '--budget-3m', '--build', '--seed']);
for (let i = 0; i < argv.length; i++) {
  if (!argv[i].startsWith('--')) continue;
  if (!KNOWN.has(argv[i])) fail(`unknown option ${argv[i]} (options: ${[...KNOWN].join(', ')})`);
}

const only = option('only');
if (only !== undefined && only !== 'cli' && only !== 'page') fail(`--only must be cli or page, got "${only}"`);
const budget = positiveNumber('budget', 60);
const budget3m = positiveNumber('budget-3m', 120);
const seed = positiveNumber('seed', 1);
const forceBuild = argv.includes('--build');
const sizesOption = option('sizes');
const sizes = sizesOption
  ? sizesOption.split(',').map((s) => {
      const n = Number(s.trim().replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 10) fail(`--sizes: "${s}" is not a row count`);
      return n;
    })
  : [100_000, 1_000_000, 3_000_000];
/** Without --sizes, 3M rows run in the page only (the CLI figures stop at 1M). */
const cliSizes = sizesOption ? sizes : sizes.filter((n) => n <= 1_000_000);
const runCli = only !== 'page';
const runPage = only !== 'cli';
const budgetFor = (rows: number): number => (rows >= 3_000_000 ? budget3m : budget);

// ---------------------------------------------------------------------------------------------- results

interface HgbResult {
  auc?: number;
  fitSeconds?: number;
  trainRows?: number;
  wallSeconds?: number;
  error?: string;
}

interface CliResult {
  budget: number;
  wallSeconds: number;
  exitCode: number | null;
  peakMb: number;
  auc?: number;
  elapsedSeconds?: number;
  winner?: string;
  trials?: number;
  folds?: unknown;
  validation?: unknown;
  refitRows?: unknown;
  cancelled?: unknown;
  test?: Record<string, number>;
  error?: string;
}

interface PageResult {
  budget: number;
  loadSeconds?: number;
  firstRowSeconds?: number;
  resultsSeconds?: number;
  wallSeconds?: number;
  auc?: number;
  aucText?: string;
  validationText?: string;
  doneText?: string;
  backend?: string;
  chromiumPeakRssMb: number;
  chromiumPeakPssMb: number;
  /** At the summed-RSS peak: MB per kind of Chromium process (renderer, gpu-process, utility, browser). */
  chromiumPeakByKindMb?: Record<string, number>;
  /** When the summed-RSS peak was sampled, in seconds after Start (negative: while reading). */
  chromiumPeakAfterStartSeconds?: number;
  crashed: boolean;
  error?: string;
  pageErrors: string[];
}

interface SizeResult {
  rows: number;
  file: string;
  fileMb: number;
  hgb?: HgbResult;
  cli?: CliResult;
  page?: PageResult;
}

const MB = 1024 * 1024;
const seconds = (ms: number): number => Math.round(ms / 10) / 100;
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 500);
const loadLine = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------- the table

function ensureCsv(rows: number): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, seed === 1 ? `scale-${rows}.csv` : `scale-${rows}-seed${seed}.csv`);
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    console.log(`# ${path.relative(repoRoot, file)}: reused (${(fs.statSync(file).size / MB).toFixed(1)} MB)`);
    return file;
  }
  const t = Date.now();
  const tmp = `${file}.tmp-${process.pid}`;
  writeScaleCsv(tmp, rows, seed);
  fs.renameSync(tmp, file); // only a complete file gets the reusable name
  console.log(`# ${path.relative(repoRoot, file)}: written (${(fs.statSync(file).size / MB).toFixed(1)} MB in ${seconds(Date.now() - t)} s)`);
  return file;
}

function testRowsFile(rows: number): string {
  const file = path.join(outDir, `scale-${rows}-test-rows.json`);
  if (!fs.existsSync(file)) {
    const test: number[] = [];
    for (let i = 4; i < rows; i += 5) test.push(i);
    fs.writeFileSync(file, JSON.stringify(test));
  }
  return file;
}

// ---------------------------------------------------------------------------------------------- reference

function hasSklearn(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import sklearn, pandas, numpy'], { stdio: 'ignore' });
  return r.status === 0;
}

function runHgb(csv: string): Promise<HgbResult> {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(PYTHON, [path.join(repoRoot, 'bench/hgb_defaults.py'), csv, SCALE_TARGET], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ error: errorText(err) }));
    child.on('close', (code) => {
      const wallSeconds = seconds(Date.now() - t);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
        const j = JSON.parse(last) as { auc: number; fit_seconds: number; train_rows: number };
        resolve({ auc: j.auc, fitSeconds: j.fit_seconds, trainRows: j.train_rows, wallSeconds });
      } catch (err) {
        resolve({ error: errorText(err), wallSeconds });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------- CLI

function runCliOnce(csv: string, rows: number, runBudget: number): Promise<CliResult> {
  const args = [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'run',
    csv,
    '--target',
    SCALE_TARGET,
    '--budget',
    String(runBudget),
    '--test-rows',
    testRowsFile(rows),
    '--json',
  ];
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    // The process's own peak (worker threads share it) plus whatever child processes hold right now.
    const sampler = new PeakSampler(() => {
      if (pid === undefined) return 0;
      let kb = statusKb(pid, 'VmHWM');
      for (const c of descendants(pid)) kb += statusKb(c, 'VmRSS');
      return kb;
    }, 200);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A run that overstays its budget by far is stopped (its figures are then an error).
    const killTimer = setTimeout(() => child.kill('SIGKILL'), (runBudget * 3 + 300) * 1000);
    const finish = (code: number | null, error?: string) => {
      clearTimeout(killTimer);
      const base: CliResult = { budget: runBudget, wallSeconds: seconds(Date.now() - t), exitCode: code, peakMb: Math.round(sampler.stop()) };
      if (error) return resolve({ ...base, error });
      if (code !== 0) return resolve({ ...base, error: `exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}` });
      try {
        const j = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
        const test = (j.test ?? {}) as Record<string, number>;
        const winner = j.winner as { name?: string } | undefined;
        const out: CliResult = {
          ...base,
          test,
          auc: test.roc_auc,
          elapsedSeconds: j.elapsedSeconds as number | undefined,
          winner: winner?.name,
          trials: j.trials as number | undefined,
        };
        for (const key of ['folds', 'validation', 'refitRows', 'cancelled'] as const) if (key in j) out[key] = j[key];
        resolve(out);
      } catch (err) {
        resolve({ ...base, error: `no JSON on the last line of stdout (${errorText(err)})` });
      }
    };
    child.on('error', (err) => finish(null, errorText(err)));
    child.on('close', (code, signal) => finish(code, signal ? `killed by ${signal}` : undefined));
  });
}

// ---------------------------------------------------------------------------------------------- page

function buildIfNeeded(): void {
  if (!forceBuild && fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    const built = fs.statSync(path.join(repoRoot, 'dist', 'index.html')).mtime;
    console.log(`# page: using the existing dist/ (built ${built.toISOString()}; --build to rebuild)`);
    return;
  }
  console.log('# page: building dist/ (npx vite build)…');
  const t = Date.now();
  const r = spawnSync('npx', ['vite', 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  console.log(`# page: built in ${seconds(Date.now() - t)} s`);
}

/** Installed before the app: the Start click, the first leaderboard row, the results, a failed run (performance.now()). */
const PROBE = `
  window.__scale = { clickAt: null, firstRowAt: null, doneAt: null, errorAt: null };
  document.addEventListener('click', (e) => {
    if (window.__scale.clickAt === null && e.target instanceof Element && e.target.closest('[data-testid="start-run"]')) window.__scale.clickAt = performance.now();
  }, true);
  new MutationObserver(() => {
    const b = window.__scale;
    if (b.clickAt === null) return;
    const now = performance.now();
    if (b.firstRowAt === null && document.querySelector('[data-testid="leaderboard-row"]')) b.firstRowAt = now;
    if (b.doneAt === null && document.querySelector('[data-testid="run-done"]')) b.doneAt = now;
    if (b.errorAt === null && document.querySelector('[data-testid="run-error"]')) b.errorAt = now;
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

interface Probe {
  clickAt: number | null;
  firstRowAt: number | null;
  doneAt: number | null;
  errorAt: number | null;
}

async function text(page: Page, selector: string): Promise<string | undefined> {
  const el = await page.$(selector);
  if (!el) return undefined;
  return ((await el.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The browser process: playwright-core's Browser does not expose it (only a BrowserServer has
 * process()), but chromium.launch runs in this Node process and spawns Chromium as a direct child
 * (/usr/bin/chromium is a shell script that execs the binary, so the pid stays the same).
 */
function findBrowserPid(): number | undefined {
  const found = children(process.pid).filter((pid) => /chrom/i.test(commandLine(pid).split(' ')[0] ?? ''));
  return found.length > 0 ? Math.max(...found) : undefined;
}

async function runPageOnce(browser: Browser, browserPid: number | undefined, url: string, csv: string, runBudget: number): Promise<PageResult> {
  const tree = (): number[] => (browserPid === undefined ? [] : [browserPid, ...descendants(browserPid)]);
  const result: PageResult = { budget: runBudget, chromiumPeakRssMb: 0, chromiumPeakPssMb: 0, crashed: false, pageErrors: [] };
  // The summed VmRSS, and at its peak the share of each kind of process (renderer, GPU, browser…).
  let peakKb = 0;
  let peakAt = 0;
  const rss = new PeakSampler(() => {
    const byKind: Record<string, number> = {};
    let total = 0;
    for (const pid of tree()) {
      const kb = statusKb(pid, 'VmRSS');
      const kind = /--type=([\w-]+)/.exec(commandLine(pid))?.[1] ?? 'browser';
      byKind[kind] = (byKind[kind] ?? 0) + kb;
      total += kb;
    }
    if (total > peakKb) {
      peakKb = total;
      peakAt = Date.now();
      result.chromiumPeakByKindMb = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round(v / 1024)]));
    }
    return total;
  }, 250);
  // PSS (shared pages counted once) is costlier to read: once a second.
  const pss = new PeakSampler(() => tree().reduce((kb, pid) => kb + pssKb(pid), 0), 1000);
  const started = Date.now();
  const deadline = started + (runBudget * 3 + 300) * 1000;
  const left = (): number => Math.max(1000, deadline - Date.now());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  let crashReject: (err: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => (crashReject = reject));
  crashed.catch(() => {}); // observed through the races below
  page.on('crash', () => {
    result.crashed = true;
    crashReject(new Error('the page crashed (Chromium "crash" event: out of memory?)'));
  });
  page.on('pageerror', (err) => result.pageErrors.push(`pageerror: ${errorText(err)}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && result.pageErrors.length < 20) result.pageErrors.push(`console: ${msg.text().slice(0, 300)}`);
  });
  /** Waits for `fn` (or the page crashing, or the deadline). */
  const step = <T>(what: string, fn: Promise<T>): Promise<T> =>
    Promise.race([fn, crashed]).catch((err: unknown) => {
      throw new Error(`${what}: ${errorText(err)}`);
    });
  const fileName = path.basename(csv);
  try {
    await step('opening the page', page.goto(url, { timeout: 60_000 }));
    const loadStart = Date.now();
    await step('choosing the CSV', page.getByTestId('csv-input').setInputFiles(csv, { timeout: left() }));
    // The profile of this file, or a load error.
    await step(
      'reading the CSV',
      page.waitForFunction(
        (name) =>
          (document.querySelector('[data-testid="dataset-summary"] .file')?.textContent?.trim() === name &&
            document.querySelector('[data-testid="to-goal"]') !== null) ||
          document.querySelector('[data-testid="error-message"]') !== null,
        fileName,
        { timeout: left(), polling: 250 },
      ),
    );
    const loadError = await text(page, '[data-testid="error-message"]');
    if (loadError) throw new Error(`the page could not load the CSV: ${loadError}`);
    result.loadSeconds = seconds(Date.now() - loadStart);
    await step('Goal step', page.getByTestId('to-goal').click({ timeout: 30_000 }));
    await step('choosing the target', page.getByTestId('target-select').selectOption(SCALE_TARGET, { timeout: 30_000 }));
    await step('setting the budget', page.getByTestId('budget-input').fill(String(runBudget), { timeout: 30_000 }));
    await step(
      'waiting for Start to be enabled',
      page.waitForFunction(
        () => {
          const b = document.querySelector('[data-testid="start-run"]') as HTMLButtonElement | null;
          return b !== null && !b.disabled;
        },
        undefined,
        { timeout: 60_000 },
      ),
    );
    const clickedAt = Date.now();
    await step('clicking Start', page.getByTestId('start-run').click({ timeout: 30_000 }));
    await step(
      'waiting for the results',
      page.waitForFunction(
        () => document.querySelector('[data-testid="run-done"]') !== null || document.querySelector('[data-testid="run-error"]') !== null,
        undefined,
        {
          timeout: left(),
          polling: 500,
        },
      ),
    );
    result.wallSeconds = seconds(Date.now() - clickedAt);
    result.chromiumPeakAfterStartSeconds = seconds(peakAt - clickedAt);
    const probe = (await page.evaluate('window.__scale')) as Probe;
    if (probe.clickAt !== null) {
      if (probe.firstRowAt !== null) result.firstRowSeconds = seconds(probe.firstRowAt - probe.clickAt);
      if (probe.doneAt !== null) result.resultsSeconds = seconds(probe.doneAt - probe.clickAt);
    }
    result.validationText = await text(page, '[data-testid="run-validation"]');
    result.backend =
      (await page
        .getByTestId('backend-badge')
        .getAttribute('data-backend', { timeout: 5_000 })
        .catch(() => null)) ?? undefined;
    const runError = await text(page, '[data-testid="run-error"]');
    result.doneText = await text(page, '[data-testid="run-done"]');
    if (!result.doneText) throw new Error(`the run failed: ${runError ?? '(no message)'}`);
    await step('See the results', page.getByTestId('see-results').click({ timeout: 30_000 }));
    const auc = page.locator('[data-testid="test-metrics"] [data-metric="roc_auc"] dd');
    await step('reading the test ROC AUC', auc.waitFor({ timeout: 60_000 }));
    result.aucText = ((await auc.textContent()) ?? '').trim();
    const value = Number.parseFloat(result.aucText.replace(/,/g, ''));
    if (Number.isFinite(value)) result.auc = value;
  } catch (err) {
    result.error = errorText(err);
    if (result.wallSeconds === undefined && !result.crashed) {
      // Whatever the page shows when it failed, for the report.
      const shown = await Promise.race([
        text(page, '[data-testid="run-error"], [data-testid="error-message"]'),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
      ]).catch(() => undefined);
      if (shown) result.error += ` — page shows: ${shown}`;
    }
  } finally {
    result.chromiumPeakRssMb = Math.round(rss.stop());
    result.chromiumPeakPssMb = Math.round(pss.stop());
    await Promise.race([context.close(), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
  }
  return result;
}

// ---------------------------------------------------------------------------------------------- report

const fmt = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function notes(r: SizeResult): string {
  const parts: string[] = [];
  if (r.hgb?.error) parts.push(`HGB: ${r.hgb.error}`);
  if (r.cli) {
    const c = r.cli;
    if (c.error) parts.push(`CLI error: ${c.error}`);
    const cli: string[] = [];
    if (c.winner) cli.push(`winner ${c.winner}`);
    if (c.trials !== undefined) cli.push(`${c.trials} trials`);
    if (c.folds !== undefined) cli.push(`folds ${JSON.stringify(c.folds)}`);
    if (c.validation !== undefined) cli.push(`validation ${JSON.stringify(c.validation)}`);
    if (c.refitRows !== undefined) cli.push(`refit ${JSON.stringify(c.refitRows)} rows`);
    if (c.cancelled) cli.push('cancelled');
    if (cli.length) parts.push(`CLI (${c.budget} s): ${cli.join(', ')}`);
  }
  if (r.page) {
    const p = r.page;
    const page: string[] = [];
    if (p.crashed) page.push('CRASHED');
    if (p.error) page.push(`error: ${p.error}`);
    if (p.loadSeconds !== undefined) page.push(`load ${p.loadSeconds} s`);
    if (p.chromiumPeakByKindMb)
      page.push(
        `RSS peak ${p.chromiumPeakAfterStartSeconds} s after Start, then ${Object.entries(p.chromiumPeakByKindMb)
          .map(([k, v]) => `${k} ${v} MB`)
          .join(', ')}; PSS peak ${p.chromiumPeakPssMb} MB`,
      );
    if (p.backend) page.push(`backend ${p.backend}`);
    if (p.doneText) page.push(`“${p.doneText.replace(/\s*See the results.*$/, '')}”`);
    if (p.validationText) page.push(`“${p.validationText}”`);
    parts.push(`page (${p.budget} s): ${page.join(', ')}`);
  }
  return parts.join('; ').replace(/\|/g, '\\|');
}

function printTable(results: SizeResult[]): void {
  console.log('');
  console.log(
    '| rows | file MB | HGB AUC | HGB fit s | CLI AUC | CLI − HGB | CLI elapsed s | CLI wall s | CLI peak MB | page AUC | page first row s | page results s | Chromium peak MB | notes |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const diff = r.cli?.auc !== undefined && r.hgb?.auc !== undefined ? r.cli.auc - r.hgb.auc : undefined;
    const cells = [
      r.rows.toLocaleString('en-US'),
      fmt(r.fileMb, 1),
      fmt(r.hgb?.auc, 4),
      fmt(r.hgb?.fitSeconds, 1),
      fmt(r.cli?.auc, 4),
      diff === undefined ? '—' : `${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`,
      fmt(r.cli?.elapsedSeconds, 1),
      fmt(r.cli?.wallSeconds, 1),
      r.cli ? String(r.cli.peakMb) : '—',
      fmt(r.page?.auc, 4),
      fmt(r.page?.firstRowSeconds, 2),
      fmt(r.page?.resultsSeconds, 1),
      r.page ? String(r.page.chromiumPeakRssMb) : '—',
      notes(r),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log('');
  console.log(
    'CLI peak MB: VmHWM of the CLI process (worker threads included) + VmRSS of any child process. Chromium peak MB: summed VmRSS of every Chromium process (shared pages counted in each; PSS in the JSON).',
  );
  console.log('The page draws its own seeded test split; the CLI and HGB share the rows i % 5 == 4.');
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const startLoad = loadLine();
  console.log(`# bench:scale — sizes ${sizes.join(', ')}${only ? ` (${only} only)` : ''}, budget ${budget} s (3M rows: ${budget3m} s), seed ${seed}`);
  console.log(`# ${os.cpus().length} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB; load average at start: ${startLoad}`);
  const sklearn = hasSklearn();
  if (!sklearn) console.log(`# NOTE: ${PYTHON} lacks scikit-learn/pandas: no HGB reference (apt-get install python3-sklearn python3-pandas)`);

  let browser: Browser | undefined;
  let browserPid: number | undefined;
  let preview: ChildProcess | undefined;
  let url = '';
  const stopAll = async () => {
    await browser?.close().catch(() => {});
    preview?.kill();
  };
  process.once('SIGINT', () => {
    void stopAll().then(() => process.exit(130));
  });

  const results: SizeResult[] = [];
  const save = () => {
    fs.mkdirSync(outDir, { recursive: true });
    const raw = {
      date: new Date().toISOString(),
      budget,
      budget3m,
      seed,
      cpus: os.cpus().length,
      loadAverageStart: startLoad,
      loadAverageEnd: loadLine(),
      results,
    };
    fs.writeFileSync(path.join(outDir, 'scale-results.json'), JSON.stringify(raw, null, 2));
  };
  try {
    for (const rows of sizes) {
      const withCli = runCli && cliSizes.includes(rows);
      if (!withCli && !runPage) continue;
      const csv = ensureCsv(rows);
      const r: SizeResult = { rows, file: path.relative(repoRoot, csv), fileMb: fs.statSync(csv).size / MB };
      results.push(r);
      const runBudget = budgetFor(rows);
      if (sklearn) {
        console.log(`# ${rows} rows: HGB reference…`);
        r.hgb = await runHgb(csv);
        console.log(`#   ${JSON.stringify(r.hgb)}`);
      }
      if (withCli) {
        console.log(`# ${rows} rows: CLI, ${runBudget} s budget… (load average ${loadLine()})`);
        r.cli = await runCliOnce(csv, rows, runBudget);
        const { test: _test, ...shown } = r.cli;
        console.log(`#   ${JSON.stringify(shown)}`);
      }
      if (runPage) {
        if (!browser) {
          buildIfNeeded();
          const served = await startPreview(repoRoot);
          preview = served.child;
          url = served.url;
          browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
          browserPid = findBrowserPid();
          if (browserPid === undefined) console.log('# page: WARNING the Chromium process was not found: no memory figures');
          console.log(`# page: ${url}, Chromium ${browser.version()} (browser pid ${browserPid ?? '?'})`);
        }
        console.log(`# ${rows} rows: page, ${runBudget} s budget… (load average ${loadLine()})`);
        r.page = await runPageOnce(browser, browserPid, url, csv, runBudget);
        console.log(`#   ${JSON.stringify(r.page)}`);
        if (r.page.crashed || !browser.isConnected()) {
          // A fresh browser for the next size.
          await browser.close().catch(() => {});
          browser = undefined;
          preview?.kill();
          preview = undefined;
        }
      }
      save();
    }
  } finally {
    await stopAll();
  }
  save();
  printTable(results);
  console.log(`\n# load average at start: ${startLoad}; at end: ${loadLine()}`);
  console.log(`# raw results: ${path.relative(repoRoot, path.join(outDir, 'scale-results.json'))}`);
}

main().catch((err: unknown) => {
  console.error(`bench:scale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});

/** Display formatting for the profile: compact, locale-independent enough to read at a glance. */

const compact = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A statistic: 4 significant digits, scientific notation only for very large or very small magnitudes. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return x.toExponential(2);
  return compact.format(x);
}

/** Epoch milliseconds (how the Frame stores datetimes) as an ISO date, with the time only when there is one. */
export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const p = (100 * part) / whole;
  if (p > 0 && p < 0.1) return '<0.1%';
  // Never round a part up to the whole: 99.6% of rows is not "100%" (nor 0.04% "0%").
  if (p < 100 && p > 99.9) return '>99.9%';
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 10 || p > 99) return `${p.toFixed(1)}%`;
  return `${p.toFixed(0)}%`;
}

/** How a delimiter reads in a sentence: ',' is "comma", '\t' is "tab". */
export function describeDelimiter(delimiter: string): string {
  const names: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe', ' ': 'space' };
  return names[delimiter] ?? `"${delimiter}"`;
}

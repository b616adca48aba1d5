/**
 * Synthetic tables shaped like the real benchmark datasets, for speed comparisons before the CSV
 * reader and preprocessing exist:
 *   adult-shaped:      48,842 rows (39,073 after an 80/20 split), 6 numeric + 8 categorical features
 *                      (up to 41 levels, Zipf-like frequencies), missing values in 3 categorical
 *                      columns, a binary target (~24% positive) from a noisy additive model.
 *   california-shaped: 20,640 rows (16,512 after the split), 9 numeric features (1% missing in
 *                      one), a regression target with interactions.
 * Value counts follow the real columns (ages are integers, capital gains mostly zero, ...) because
 * the number of distinct values decides the bin counts and so the histogram cost.
 */
import type { FeatureMatrix, FeatureSpec } from '../src/core/prep/matrix.ts';
import { Rng } from '../src/core/util/random.ts';

export interface SyntheticTable {
  name: string;
  task: 'binary' | 'regression';
  X: FeatureMatrix;
  y: Float64Array;
  targetName: string;
  /** Category labels per categorical feature (CSV output). */
  labels: (string[] | null)[];
  /** Target labels for classification (CSV output). */
  targetLabels?: string[];
}

function zipfCodes(rng: Rng, n: number, levels: number, s: number, missingRate: number): Float64Array {
  const w = Array.from({ length: levels }, (_, k) => 1 / Math.pow(k + 1, s));
  const total = w.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const v of w) cdf.push((acc += v / total));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rng.next() < missingRate) {
      out[i] = NaN;
      continue;
    }
    const u = rng.next();
    let k = 0;
    while (k < levels - 1 && cdf[k] < u) k++;
    out[i] = k;
  }
  return out;
}

export function adultLike(seed = 1, n = 48_842): SyntheticTable {
  const rng = new Rng(seed);
  const features: FeatureSpec[] = [];
  const columns: Float64Array[] = [];
  const labels: (string[] | null)[] = [];
  const num = (name: string, col: Float64Array): void => {
    features.push({ name, kind: 'numeric', source: name });
    columns.push(col);
    labels.push(null);
  };
  const cat = (name: string, levels: number, s: number, missing: number): Float64Array => {
    const col = zipfCodes(rng, n, levels, s, missing);
    features.push({ name, kind: 'categorical', nLevels: levels, source: name });
    columns.push(col);
    labels.push(Array.from({ length: levels }, (_, k) => `${name}_${k}`));
    return col;
  };
  const age = new Float64Array(n);
  for (let i = 0; i < n; i++) age[i] = Math.min(90, 17 + Math.floor(Math.abs(rng.normal()) * 18 + rng.next() * 10));
  num('age', age);
  const workclass = cat('workclass', 8, 1.6, 0.057);
  const fnlwgt = new Float64Array(n);
  for (let i = 0; i < n; i++) fnlwgt[i] = Math.round(Math.exp(12 + 0.5 * rng.normal()));
  num('fnlwgt', fnlwgt);
  const education = cat('education', 16, 0.9, 0);
  const educationNum = new Float64Array(n);
  for (let i = 0; i < n; i++) educationNum[i] = ((education[i] * 7) % 16) + 1;
  num('education_num', educationNum);
  const marital = cat('marital_status', 7, 1.2, 0);
  const occupation = cat('occupation', 14, 0.6, 0.058);
  const relationship = cat('relationship', 6, 1.0, 0);
  cat('race', 5, 2.2, 0);
  const sex = cat('sex', 2, 1.0, 0);
  const gainValues = Array.from({ length: 120 }, () => Math.round(Math.exp(7 + 2 * rng.next())));
  const lossValues = Array.from({ length: 90 }, () => Math.round(Math.exp(6.5 + 1.2 * rng.next())));
  const capitalGain = new Float64Array(n);
  const capitalLoss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    capitalGain[i] = rng.next() < 0.083 ? gainValues[rng.int(gainValues.length)] : 0;
    capitalLoss[i] = rng.next() < 0.047 ? lossValues[rng.int(lossValues.length)] : 0;
  }
  num('capital_gain', capitalGain);
  num('capital_loss', capitalLoss);
  const hours = new Float64Array(n);
  for (let i = 0; i < n; i++) hours[i] = Math.max(1, Math.min(99, Math.round(40 + 12 * rng.normal())));
  num('hours_per_week', hours);
  cat('native_country', 41, 2.5, 0.017);

  const levelEffect = (levels: number, scale: number): number[] => Array.from({ length: levels }, () => scale * rng.normal());
  const eWork = levelEffect(8, 0.4);
  const eOcc = levelEffect(14, 0.6);
  const eMar = levelEffect(7, 1.0);
  const eRel = levelEffect(6, 0.5);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -2.2;
    z += 0.04 * (Math.min(age[i], 60) - 38) - (0.0015 * (age[i] - 45) ** 2) / 10;
    z += 0.3 * (educationNum[i] - 10);
    z += capitalGain[i] > 5000 ? 2.5 : capitalGain[i] > 0 ? 0.5 : 0;
    z += capitalLoss[i] > 1500 ? 1.0 : 0;
    z += 0.03 * (hours[i] - 40);
    z += Number.isNaN(workclass[i]) ? -0.5 : eWork[workclass[i]];
    z += Number.isNaN(occupation[i]) ? -0.7 : eOcc[occupation[i]];
    z += eMar[marital[i]] + eRel[relationship[i]] + (sex[i] === 0 ? 0.3 : -0.3);
    z += 0.8 * rng.normal();
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    name: 'adult_synthetic',
    task: 'binary',
    X: { rows: n, features, columns },
    y,
    targetName: 'income',
    labels,
    targetLabels: ['<=50K', '>50K'],
  };
}

export function californiaLike(seed = 2, n = 20_640): SyntheticTable {
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array> = {};
  const mk = (name: string, f: (i: number) => number): Float64Array => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = f(i);
    cols[name] = c;
    return c;
  };
  const lon = mk('longitude', () => Math.round((-124 + 10 * rng.next() ** 1.3) * 100) / 100);
  const lat = mk('latitude', (i) => Math.round((32.5 + 9 * (1 - (lon[i] + 124) / 10) * rng.next() + 0.5 * rng.normal()) * 100) / 100);
  const age = mk('housing_median_age', () => Math.max(1, Math.min(52, Math.round(29 + 12.5 * rng.normal()))));
  const rooms = mk('total_rooms', () => Math.round(Math.exp(7.6 + 0.75 * rng.normal())));
  mk('total_bedrooms', (i) => (rng.next() < 0.01 ? NaN : Math.round(rooms[i] * (0.18 + 0.04 * rng.normal()))));
  const pop = mk('population', (i) => Math.round(rooms[i] * (0.4 + 0.2 * rng.next()) * Math.exp(0.3 * rng.normal())));
  mk('households', (i) => Math.round(pop[i] / (2.5 + 0.8 * rng.next())));
  const income = mk('median_income', () => Math.round(Math.exp(1.3 + 0.45 * rng.normal()) * 10000) / 10000);
  const roomsPerHh = mk('rooms_per_household', (i) => Math.round((rooms[i] / Math.max(1, pop[i] / 3)) * 1000) / 1000);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const coast = Math.exp(-Math.abs(lon[i] + 122 + 0.8 * (lat[i] - 37)) * 0.8);
    let v = 0.4 * income[i] + 1.2 * coast + 0.005 * age[i] + 0.3 * Math.sin(lat[i] * 2) * coast + 0.05 * Math.min(roomsPerHh[i], 8);
    v += 0.35 * rng.normal();
    y[i] = Math.min(5.00001, Math.max(0.15, v)) * 100000;
  }
  const names = Object.keys(cols);
  return {
    name: 'california_synthetic',
    task: 'regression',
    X: {
      rows: n,
      features: names.map((name) => ({ name, kind: 'numeric' as const, source: name })),
      columns: names.map((k) => cols[k]),
    },
    y,
    targetName: 'median_house_value',
    labels: names.map(() => null),
  };
}

/** CSV text: categorical codes written as their labels, missing values as empty cells. */
export function tableToCsv(t: SyntheticTable): string {
  const { X, y } = t;
  const header = [...X.features.map((f) => f.name), t.targetName].join(',');
  const lines: string[] = [header];
  const p = X.columns.length;
  const cells = new Array<string>(p + 1);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < p; j++) {
      const v = X.columns[j][i];
      const lab = t.labels[j];
      cells[j] = Number.isNaN(v) ? '' : lab ? lab[v] : String(v);
    }
    cells[p] = t.targetLabels ? t.targetLabels[y[i]] : String(y[i]);
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * scikit-learn's `train_test_split(..., test_size, random_state=seed, stratify=y | None)` reproduced
 * exactly (sklearn 1.2 with numpy's legacy RandomState), so a test can score Sieve's models on the very
 * rows the peer baselines in shared/peers/results.md were scored on and compare figures one to one.
 *
 * Pieces: MT19937 seeded like `RandomState(seed)`, numpy's legacy `permutation` (Fisher-Yates from the
 * top with masked rejection sampling, `random_interval`), and StratifiedShuffleSplit's
 * `_approximate_mode` allocation (ties broken by `rng.choice(..., replace=False)`, itself a permutation).
 * Only the test-set membership is needed, so the final shuffles of train and test are skipped.
 */

class MersenneTwister {
  private mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic.
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let v = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** numpy's random_interval: uniform in [0, max] by masked rejection. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** numpy's legacy RandomState.permutation(n). */
  permutation(n: number): number[] {
    const arr = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}

function approximateMode(classCounts: number[], nDraws: number, rng: MersenneTwister): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = Math.trunc(nDraws - floored.reduce((a, b) => a + b, 0));
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, needToAdd);
      const chosen = rng
        .permutation(inds.length)
        .slice(0, addNow)
        .map((k) => inds[k]);
      for (const i of chosen) floored[i]++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

/**
 * Test-row indices of sklearn's train_test_split with test_size (a fraction) and random_state=seed.
 * `labels`: the class label strings for a stratified split (sklearn's LabelEncoder on str), or null.
 */
export function sklearnTestRows(n: number, testSize: number, seed: number, labels: string[] | null): Int32Array {
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  const rng = new MersenneTwister(seed);
  if (!labels) {
    return Int32Array.from(rng.permutation(n).slice(0, nTest)).sort();
  }
  // np.unique on strings: sorted by code point; class_indices from a stable argsort.
  const classes = [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byClass = classes.map((c) => labels.flatMap((l, i) => (l === c ? [i] : [])));
  const counts = byClass.map((rows) => rows.length);
  const nI = approximateMode(counts, nTrain, rng);
  const tI = approximateMode(
    counts.map((c, i) => c - nI[i]),
    nTest,
    rng,
  );
  const test: number[] = [];
  byClass.forEach((rows, i) => {
    const perm = rng.permutation(counts[i]).map((k) => rows[k]);
    test.push(...perm.slice(nI[i], nI[i] + tI[i]));
  });
  return Int32Array.from(test).sort();
}

/**
 * `npm run bench:models [-- --datasets adult,california_housing,... --families gbdt,linear,...]`
 *
 * 1. Fit seconds and test metrics per family and dataset with default parameters (the `sieve fit`
 *    protocol: seeded 80/20 split, manifest id_columns dropped), next to scikit-learn's reference
 *    figures from ../shared/peers/results.jsonl (measured earlier; the speed comparison in part 2 is
 *    the one measured in the same run).
 * 2. GBDT and random forest fit time versus scikit-learn single-threaded on adult and
 *    california_housing, both measured now, as ratios (bench/gbdt-real.ts does the work).
 */
import { spawnSync } from 'node:child_process';
import { fitAndScore } from '../src/cli/fit.ts';
import { FAMILY_NAMES } from '../src/core/models/types.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { datasetPath, headlineMetric, manifest, peerResults } from './peers.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const datasets = opt('datasets', 'adult,california_housing,titanic,insurance,iris,letter').split(',');
const families = opt('families', FAMILY_NAMES.join(',')).split(',');
const peerFamily: Record<string, string> = { gbdt: 'hist_gbdt', random_forest: 'random_forest', linear: 'linear' };

const peers = peerResults();
console.log('## Default fits per family (sieve fit protocol)\n');
console.log('| dataset | family | fit s | predict s | metric | sieve | scikit-learn (reference run) |');
console.log('|---|---|---|---|---|---|---|');
for (const entry of manifest()) {
  if (!datasets.includes(entry.name)) continue;
  const { frame } = await readCsvFile(datasetPath(entry));
  const { name: metric } = headlineMetric(entry.task);
  for (const family of families) {
    if (family === 'naive_bayes' && entry.task === 'regression') continue;
    try {
      const r = await fitAndScore(frame, { target: entry.target, model: family, params: {}, seed: 0, testSize: 0.2, exclude: entry.id_columns ?? [] });
      const peerName = peerFamily[family] === 'linear' ? (entry.task === 'regression' ? 'ridge' : 'logistic_regression') : peerFamily[family];
      const peer = peerName ? peers.find((p) => p.dataset === entry.name && p.model === peerName) : undefined;
      const peerText = peer ? `${peer.metrics[metric].toFixed(4)} in ${peer.fit_s.toFixed(2)} s (${peerName})` : '–';
      console.log(
        `| ${entry.name} | ${family} | ${r.fitSeconds.toFixed(2)} | ${r.predictSeconds.toFixed(2)} | ${metric} | ${r.test[metric].toFixed(4)} | ${peerText} |`,
      );
    } catch (err) {
      console.log(`| ${entry.name} | ${family} | error: ${(err as Error).message} |`);
    }
  }
}

console.log('\n## GBDT and random forest vs scikit-learn, single-threaded, measured in this run\n');
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/gbdt-real.ts', '--rounds', '3'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;

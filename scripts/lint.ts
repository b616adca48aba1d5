/**
 * `npm run lint`: every check in turn, all of them even when one fails, then the list of those that
 * failed (exit 1 if any). Each is also its own script: `npm run lint:format`, `lint:eslint`, ...
 */
import { spawnSync } from 'node:child_process';

const STEPS = ['format', 'eslint', 'core', 'knip', 'deps', 'sizes'];

const failed: string[] = [];
for (const step of STEPS) {
  process.stdout.write(`== lint:${step}\n`);
  const { status } = spawnSync('npm', ['run', '-s', `lint:${step}`], { stdio: 'inherit' });
  if (status !== 0) failed.push(`lint:${step}`);
}
if (failed.length) {
  process.stdout.write(`lint failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write('lint: all checks passed\n');

/**
 * `npm run -s sieve -- <command> ...`: the Node command line over the same engine the page uses.
 * Every command prints its result as one JSON object on the last line of stdout (with --json), and a
 * bad input exits non-zero with a one-line message on stderr, never a stack trace.
 */
import { CliError } from './args.ts';

const COMMANDS: Record<string, () => Promise<{ main: (argv: string[]) => Promise<void> }>> = {
  profile: () => import('./profile.ts'),
  fit: () => import('./fit.ts'),
  run: () => import('./run.ts'),
  predict: () => import('./predict.ts'),
};

const USAGE = `usage: sieve <command> [options]
commands:
  profile <file.csv> [--json]                         type and profile a CSV
  fit <file.csv> --target <col> --model <family> ...  fit one model on an 80/20 split
  run <file.csv> --target <col> [--budget S] ...      AutoML search under a time budget
  predict <bundle.zip> <file.csv> [--out file.csv]    score a CSV with an exported bundle`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const load = COMMANDS[command];
  if (!load) throw new CliError(`unknown command "${command}". ${USAGE.split('\n')[0]}`);
  const mod = await load();
  await mod.main(rest);
}

main().then(
  () => {
    // tfjs and worker pools can keep handles open; the command is done.
    process.exit(0);
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sieve: ${message.split('\n')[0]}\n`);
    if (process.env.SIEVE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    // An IngestError (bad CSV) is the user's to fix, like a bad option: same exit code. Checked by name
    // so the dispatcher does not load the CSV engine for every command.
    const userError = err instanceof CliError || (err instanceof Error && err.name === 'IngestError');
    process.exit(userError ? 2 : 1);
  },
);

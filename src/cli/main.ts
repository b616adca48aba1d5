/**
 * `npm run -s sieve -- <command> ...`: the Node command line over the same engine the page uses.
 * Every command prints its result as one JSON object on the last line of stdout (with --json), and a
 * bad input exits non-zero with a one-line message on stderr, never a stack trace.
 */
import { clipText, quoteName } from '../core/export/runtime/message-text.ts';
import { errorMessage } from '../core/util/error-message.ts';
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

/** The most characters of an error message printed on stderr. */
const MAX_MESSAGE_CHARS = 1000;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  // hasOwn: "constructor" or "__proto__" is not a command either.
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new CliError(`unknown command ${quoteName(command)}. ${USAGE.split('\n')[0]}`);
  const mod = await load();
  await mod.main(rest);
}

/**
 * Resolves once everything written to `stream` so far is handed to the OS. Writes to a pipe are
 * asynchronous in Node on POSIX: exiting with a write still queued dropped all but the first 64 KiB
 * of a big profile (`sieve profile wide.csv --json | cat`), with exit code 0. An empty write's
 * callback runs after every earlier write; a reader that went away (`| head`) ends the wait too.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

/** Exits once stdout and stderr are flushed (tfjs and worker pools can keep handles open, so exit explicitly). */
async function exit(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

main().then(
  () => exit(0),
  (err: unknown) => {
    const message = errorMessage(err);
    // One line, bounded: messages quote names and values cut to 60 characters, and this catches any
    // message that lists too many of them (a command's usage line is about 400 characters).
    process.stderr.write(`sieve: ${clipText(message.split('\n')[0], MAX_MESSAGE_CHARS)}\n`);
    if (process.env.SIEVE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    // An IngestError (bad CSV) is the user's to fix, like a bad option: same exit code. Checked by name
    // so the dispatcher does not load the CSV engine for every command.
    const userError = err instanceof CliError || (err instanceof Error && err.name === 'IngestError');
    return exit(userError ? 2 : 1);
  },
);

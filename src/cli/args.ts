/**
 * A tiny argument parser shared by the CLI commands: `--name value`, `--name=value`, `--flag`,
 * positionals. Each command declares the options it takes (with a value) and its flags (without);
 * anything else is refused here, with the command's usage line, so a typo such as `--budgte 60`
 * never runs as if it were not there.
 */
import { clipText, quoteName } from '../core/export/runtime/message-text.ts';

export class CliError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export interface CommandSpec {
  /** The command's one-line usage, appended to every option error. */
  usage: string;
  /** Options that take a value. */
  options: readonly string[];
  /** Options without a value (`--json`). */
  flags: readonly string[];
}

export function parseArgs(argv: string[], spec: CommandSpec): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const refuse = (problem: string) => new CliError(`${problem}. ${spec.usage}`);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (spec.flags.includes(name)) {
      if (eq > 0) throw refuse(`option --${name} takes no value`);
      options.set(name, true);
    } else if (spec.options.includes(name)) {
      if (eq > 0) options.set(name, a.slice(eq + 1));
      else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw refuse(`option --${name} needs a value`);
        options.set(name, v);
        i++;
      }
    } else throw refuse(`unknown option --${clipText(name)}`);
  }
  return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function numberOption(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`option --${name} must be a number, got ${quoteName(v)}`);
  return n;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = stringOption(args, name);
  return v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** Prints the command's result: pretty lines for people, then the JSON object on the last line. */
export function printResult(result: unknown, json: boolean, human?: string): void {
  if (human && !json) process.stdout.write(`${human}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

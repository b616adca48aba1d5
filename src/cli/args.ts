/** A tiny argument parser shared by the CLI commands: `--name value`, `--flag`, positionals. */
export class CliError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export function parseArgs(argv: string[], flags: string[] = ['json']): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        options.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const name = a.slice(2);
        if (flags.includes(name)) options.set(name, true);
        else {
          const v = argv[i + 1];
          if (v === undefined || v.startsWith('--')) throw new CliError(`option --${name} needs a value`);
          options.set(name, v);
          i++;
        }
      }
    } else positionals.push(a);
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
  if (!Number.isFinite(n)) throw new CliError(`option --${name} must be a number, got "${v}"`);
  return n;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const v = stringOption(args, name);
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** Prints the command's result: pretty lines for people, then the JSON object on the last line. */
export function printResult(result: unknown, json: boolean, human?: string): void {
  if (human && !json) process.stdout.write(`${human}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The shared option parser: one place where every command's unknown or malformed options are refused. */
import { describe, expect, it } from 'vitest';
import { CliError, parseArgs } from '../../../src/cli/args.ts';

const spec = { usage: 'usage: sieve demo <file> [--n N] [--json]', options: ['n'], flags: ['json'] };

describe('parseArgs', () => {
  it('reads positionals, --name value, --name=value and flags', () => {
    const a = parseArgs(['f.csv', '--n', '3', '--json'], spec);
    expect(a.positionals).toEqual(['f.csv']);
    expect([...a.options]).toEqual([
      ['n', '3'],
      ['json', true],
    ]);
    expect(parseArgs(['--n=-1'], spec).options.get('n')).toBe('-1');
  });

  it.each([
    [['--bogus', '1'], 'unknown option --bogus'],
    [['--bogus=1'], 'unknown option --bogus'],
    [['--jsno'], 'unknown option --jsno'],
    [['--n'], 'option --n needs a value'],
    [['--n', '--json'], 'option --n needs a value'],
    [['--json=1'], 'option --json takes no value'],
  ])('%j is refused with the usage line', (argv, problem) => {
    expect(() => parseArgs(argv, spec)).toThrow(CliError);
    expect(() => parseArgs(argv, spec)).toThrow(`${problem}. ${spec.usage}`);
  });
});

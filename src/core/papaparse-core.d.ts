/**
 * The part of papaparse that core uses (csv-reader.ts), for tsconfig.core.json only, which maps
 * 'papaparse' here: @types/papaparse pulls in all of Node's types, which would let core use Node
 * globals unnoticed. The page and Node builds use @types/papaparse as usual.
 */
declare namespace Papa {
  interface ParseConfig {
    delimiter?: string;
    newline?: '\r' | '\n' | '\r\n';
    quoteChar?: string;
  }
  class Parser {
    constructor(config: ParseConfig);
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): unknown;
  }
}
export default Papa;

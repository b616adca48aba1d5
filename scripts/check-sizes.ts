/**
 * The size rules of the codebase, checked: no source file over 400 lines unless its first lines
 * say it is generated; no function over 120 lines; at most five over 80, and each of those opens
 * with a comment saying why it stays whole (a hot loop). Run by `npm run lint`.
 *
 * `npx tsx scripts/check-sizes.ts --list` prints every function over 80 lines and every file over
 * 400, violations or not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 120;
const LONG_FUNCTION_LINES = 80;
const MAX_LONG_FUNCTIONS = 5;

const root = path.resolve(import.meta.dirname, '..');
const list = process.argv.includes('--list');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|svelte|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The script blocks of a Svelte file, as TypeScript text with the lines kept in place. */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.svelte')) return text;
  const lines = text.split('\n');
  let inside = false;
  return lines
    .map((line) => {
      if (/^<script\b/.test(line)) {
        inside = true;
        return '';
      }
      if (/^<\/script>/.test(line)) inside = false;
      return inside ? line : '';
    })
    .join('\n');
}

interface LongFunction {
  where: string;
  lines: number;
  justified: boolean;
}

function functionsOf(file: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(file, scriptOf(file, text), ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > LONG_FUNCTION_LINES) {
        const name = (node as ts.FunctionDeclaration).name?.getText(source) ?? '(anonymous)';
        const body = node.body as ts.Node;
        const bodyStart = body.getStart(source) + 1;
        const leading = text.slice(node.getFullStart(), node.getStart(source)) + scriptOf(file, text).slice(bodyStart, bodyStart + 400);
        found.push({
          where: `${path.relative(root, file)}:${start + 1} ${name}`,
          lines,
          justified: /hot loop|stays whole/i.test(leading),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const problems: string[] = [];
const long: LongFunction[] = [];
for (const file of sourceFiles(path.join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  const lineCount = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const generated = /generated/i.test(text.split('\n').slice(0, 5).join('\n'));
  if (lineCount > MAX_FILE_LINES && !generated) problems.push(`${path.relative(root, file)}: ${lineCount} lines (at most ${MAX_FILE_LINES})`);
  else if (list && lineCount > MAX_FILE_LINES) console.log(`file ${path.relative(root, file)}: ${lineCount} lines (generated)`);
  if (!generated) long.push(...functionsOf(file, text));
}
for (const f of long) {
  if (f.lines > MAX_FUNCTION_LINES) problems.push(`${f.where}: function of ${f.lines} lines (at most ${MAX_FUNCTION_LINES})`);
}
const over80 = long.filter((f) => f.lines <= MAX_FUNCTION_LINES);
if (over80.length > MAX_LONG_FUNCTIONS) {
  problems.push(`${over80.length} functions of ${LONG_FUNCTION_LINES + 1}-${MAX_FUNCTION_LINES} lines (at most ${MAX_LONG_FUNCTIONS}):`);
  for (const f of over80) problems.push(`  ${f.where}: ${f.lines} lines`);
}
for (const f of over80) {
  if (!f.justified) problems.push(`${f.where}: ${f.lines} lines without an opening comment saying why it stays whole`);
}
if (list) for (const f of long) console.log(`function ${f.where}: ${f.lines} lines${f.justified ? ' (says why)' : ''}`);
for (const p of problems) console.error(p);
if (problems.length) {
  console.error(`check-sizes: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('check-sizes: files and functions within their limits');

/**
 * The model card's last sections (model-card.ts): how to use the bundle (in Node, in a web page, as
 * an HTTP service with a curl example, scoring a CSV file; with an example row from the training
 * data) and how to reproduce the model. The snippets are run in an unzipped bundle by test/unit/export/model-card.test.ts.
 */
import type { ModelCardInput } from './card-types.ts';
import { code, h, p, table, type Block, type Cell, type Inline } from './card-doc.ts';
import type { Row } from './runtime/types.ts';

/**
 * JSON for a snippet, with "<" written as \u003c: the same string to JavaScript and JSON, and a
 * value holding "</script>" cannot end the page snippet's script element.
 */
function jsonText(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

/** The example row as JSON for the snippets (one line per column, so it reads well). */
function exampleJson(row: Row, indent: string): string {
  const entries = Object.entries(row).map(([k, v]) => `${indent}  ${jsonText(k)}: ${jsonText(v)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The "How to use" section: the bundle's files, then calling it from Node, a web page, HTTP and the CLI. */
export function usage(c: ModelCardInput): Block[] {
  return [
    h(2, 'How to use'),
    p(
      'The bundle holds everything needed, with no dependency to install: ',
      { code: 'model.json' },
      ' (the fitted pipeline and model), ',
      { code: 'predict.mjs' },
      ' (the prediction API, with types in ',
      { code: 'predict.d.ts' },
      '), ',
      { code: 'serve.mjs' },
      ' (an HTTP server), ',
      { code: 'schema.json' },
      ' (the JSON Schema of an input row) and ',
      { code: 'example.csv' },
      '.',
    ),
    p(...examplesWords(c)),
    ...inNode(c),
    ...inBrowser(c),
    ...asService(c),
    h(3, 'Scoring a CSV file'),
    p(
      "With Sieve's command line: ",
      { code: 'npm run -s sieve -- predict bundle.zip new.csv --out predictions.csv' },
      ' (adds a prediction column and one probability column per class; rows that cannot be scored are listed). In the Sieve page, load the bundle and drop a CSV on it.',
    ),
  ];
}

function inNode(c: ModelCardInput): Block[] {
  const ex = exampleJson(c.example, '  ');
  const node = [
    "import { loadModel } from './predict.mjs';",
    '',
    'const model = await loadModel(); // reads model.json next to predict.mjs',
    'const rows = [',
    `  ${ex}`,
    '];',
    'const predictions = model.predict(rows);',
    'console.log(JSON.stringify(predictions, null, 2));',
  ].join('\n');
  const output =
    c.project.task === 'regression'
      ? '[{ "value": 1234.5 }]'
      : `[{ "label": ${JSON.stringify(c.project.classes[0])}, "probabilities": { ${c.project.classes
          .slice(0, 3)
          .map((k) => `${JSON.stringify(k)}: ${Number((1 / c.project.classes.length).toFixed(3))}`)
          .join(', ')}${c.project.classes.length > 3 ? ', ...' : ''} } }]`;
  return [
    h(3, 'In Node (18 or later)'),
    p('Save as ', { code: 'example.mjs' }, ' in the unzipped bundle folder and run ', { code: 'node example.mjs' }, ':'),
    code('js', node),
    p(
      `It prints one prediction per row, like ${output}. Every column listed in schema.json must be present in a row (null for a missing value); numbers may be strings ("29"), as in a CSV. A row that does not fit makes `,
      { code: 'predict' },
      ' throw an error naming the row and column (e.g. ',
      { code: 'row 3, column "Age": expected a number, got "abc"' },
      '); ',
      { code: 'model.validate(rows)' },
      ' lists the problems and ',
      { code: 'model.score(rows)' },
      ' scores the rows that are fine.',
    ),
    p(
      'TypeScript: the types are in ',
      { code: 'predict.d.ts' },
      '; TypeScript looks for the types of an ',
      { code: '.mjs' },
      ' module in a ',
      { code: '.d.mts' },
      ' file, so copy it to ',
      { code: 'predict.d.mts' },
      ' beside ',
      { code: 'predict.mjs' },
      ' in a TypeScript project.',
    ),
  ];
}

function inBrowser(c: ModelCardInput): Block[] {
  const browser = [
    '<script type="module">',
    "  import { loadModel } from './predict.mjs';",
    '',
    "  const model = await loadModel(new URL('./model.json', import.meta.url));",
    `  const rows = [${exampleJson(c.example, '    ').replace(/^\{/, '{')}];`,
    '  // score() keeps going past bad rows: predictions[i] is null for a row listed in errors.',
    '  const { predictions, errors } = model.score(rows);',
    '  console.log(predictions, errors);',
    '</script>',
  ].join('\n');
  return [h(3, 'In a web page'), p('Serve the bundle folder over HTTP (browsers do not load modules from file://) and add:'), code('html', browser)];
}

function asService(c: ModelCardInput): Block[] {
  const body = jsonText({ rows: [c.example] });
  return [
    h(3, 'As an HTTP service'),
    p('Start the server (it listens on 127.0.0.1 only; Ctrl-C stops it):'),
    code('sh', 'node serve.mjs --port 8080'),
    p('Then, from another terminal:'),
    code('sh', `curl -s http://127.0.0.1:8080/predict -H 'content-type: application/json' -d ${shellQuote(body)}`),
    p(
      { code: 'POST /predict' },
      ' takes ',
      { code: '{"rows": [...]}' },
      ' or an array of rows and answers ',
      { code: '{"predictions": [...]}' },
      '; a bad request gets status 400 with the reason (invalid JSON, or the rows and columns that do not fit, the first 100 problems listed), a body over 10 MB gets 413. ',
      { code: 'GET /health' },
      ' and ',
      { code: 'GET /schema' },
      ' describe the model.',
    ),
    p(
      'The server answers only requests addressed to it: a Host header other than ',
      { code: '127.0.0.1:PORT' },
      ', ',
      { code: 'localhost:PORT' },
      ' or ',
      { code: '[::1]:PORT' },
      ' gets 421 (a web page whose name points at 127.0.0.1 cannot use it); behind a reverse proxy, start it with ',
      { code: '--host NAME' },
      ' to accept that name as well. A request from a web page of another origin gets 403, a POST without ',
      { code: 'Content-Type: application/json' },
      ' gets 415, and more than 8 requests at a time get 503. Rows are scored in a worker thread, so ',
      { code: 'GET /health' },
      ' keeps answering while a request is scored.',
    ),
  ];
}

/** Whether the example rows (example.csv, the snippets) are real records; says so either way. */
function examplesWords(c: ModelCardInput): Inline[] {
  const n = c.examples?.count ?? 1;
  const rows = `${n} row${n === 1 ? '' : 's'}`;
  if (c.examples?.source === 'real') {
    return [
      { code: 'example.csv' },
      ` and the snippets below hold ${rows} of the training data, as they are: the exporter chose to include real rows, so treat this bundle as you would the training data.`,
    ];
  }
  return [
    { code: 'example.csv' },
    ` and the snippets below hold ${rows} of `,
    { strong: 'synthetic' },
    ' example data, not records from the training data: each value is drawn on its own from the range or the common levels of its column, and no row equals a training row.',
    ...(c.model.members.some((m) => m.model.family === 'knn')
      ? [' The k-nearest-neighbours model itself, in model.json, does hold its (preprocessed) training rows: see Limitations.']
      : []),
  ];
}

/** `validation`: how the search validated (validationLabel in model-card.ts). */
export function reproducibility(c: ModelCardInput, validation: string): Block[] {
  const { project } = c;
  const rows: Cell[][] = [
    ['Sieve version', c.appVersion],
    ['exported', c.created],
    ['seed', String(project.seed)],
    ['time budget', `${project.budgetSeconds} s`],
    ['trial limit', project.maxTrials !== undefined ? String(project.maxTrials) : 'none'],
    ['search', project.search],
    ['families searched', project.families.join(', ')],
    ['validation', validation],
    ['test share', `${project.testSize}`],
    ['trials run', `${c.run.trials} in ${c.run.elapsedSeconds.toFixed(1)} s`],
    ['compute backend', c.backend ?? 'not recorded'],
    ['dataset SHA-256', { code: c.data.sha256 }],
    ['model SHA-256', { code: c.modelSha256 }],
  ];
  return [
    h(2, 'Reproducibility'),
    p(
      'The same file, settings and seed give the same splits and, with a trial limit instead of a time budget, the same search (timings, and so a time-budgeted search, vary with the machine).',
    ),
    table(['', ''], rows),
    p(
      { code: 'model.json' },
      ' records the SHA-256 of the model and of every other file of the bundle, and Sieve checks them when it reads the bundle back. They detect accidental damage (a truncated download, a corrupted file), not deliberate edits: they are stored inside the bundle, so whoever edits it can recompute them. They do not prove who made the bundle.',
    ),
  ];
}

/**
 * The model card's ONNX section: what model.onnx takes and gives, snippets that feed the card's
 * example row from Python (onnxruntime), Java (ai.onnxruntime), C# (Microsoft.ML.OnnxRuntime) and
 * JavaScript (onnxruntime-node), and what does not export and why. The JavaScript snippet is run by
 * test/unit/export/onnx/card.test.ts; the others are checked against the model's own inputs there.
 */
import type { Block } from '../card-doc.ts';
import { code, h, list, p, table } from '../card-doc.ts';
import type { Row } from '../runtime/types.ts';
import type { OnnxExport, OnnxInputInfo } from './export.ts';
import { NOT_EXPORTED } from './support.ts';

export type OnnxCardInfo =
  { ok: true; inputs: OnnxInputInfo[]; outputs: OnnxExport['outputs']; metadata: Record<string, string> } | { ok: false; reason: string };

/** The example row's cell as the graph takes it: a number (NaN missing), a string ("" missing), or epoch ms. */
export function onnxCell(input: OnnxInputInfo, v: unknown): number | string {
  if (input.type === 'string') return v === null || v === undefined ? '' : String(v);
  if (v === null || v === undefined || v === '') return NaN;
  if (input.type === 'double') return typeof v === 'number' ? v : Date.parse(String(v));
  return typeof v === 'number' ? v : Number(v);
}

const pyValue = (v: number | string): string => (typeof v === 'string' ? JSON.stringify(v) : Number.isNaN(v) ? 'float("nan")' : String(v));
const jsValue = (v: number | string): string => (typeof v === 'string' ? JSON.stringify(v) : Number.isNaN(v) ? 'NaN' : String(v));
const javaValue = (input: OnnxInputInfo, v: number | string): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (input.type === 'double') return Number.isNaN(v) ? 'Double.NaN' : `${v}d`;
  return Number.isNaN(v) ? 'Float.NaN' : `${v}f`;
};
const csValue = (input: OnnxInputInfo, v: number | string): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (input.type === 'double') return Number.isNaN(v) ? 'double.NaN' : `${v}d`;
  return Number.isNaN(v) ? 'float.NaN' : `${v}f`;
};

export function pythonSnippet(inputs: OnnxInputInfo[], example: Row, classification: boolean): string {
  const dtype = { float: 'np.float32', double: 'np.float64', string: 'object' } as const;
  const lines = inputs.map((i) => `    ${JSON.stringify(i.name)}: np.array([[${pyValue(onnxCell(i, example[i.name]))}]], dtype=${dtype[i.type]}),`);
  return [
    'import numpy as np',
    'import onnxruntime as ort',
    '',
    'session = ort.InferenceSession("model.onnx")',
    'feeds = {',
    ...lines,
    '}',
    classification ? 'label, probabilities = session.run(["label", "probabilities"], feeds)' : '(prediction,) = session.run(["prediction"], feeds)',
    classification ? 'print(label[0], probabilities[0])' : 'print(prediction[0])',
  ].join('\n');
}

export function javascriptSnippet(inputs: OnnxInputInfo[], example: Row, classification: boolean): string {
  const type = { float: 'float32', double: 'float64', string: 'string' } as const;
  const array = { float: 'Float32Array.from', double: 'Float64Array.from', string: '' } as const;
  const lines = inputs.map(
    (i) => `  ${JSON.stringify(i.name)}: new ort.Tensor('${type[i.type]}', ${array[i.type]}([${jsValue(onnxCell(i, example[i.name]))}]), [1, 1]),`,
  );
  return [
    "import * as ort from 'onnxruntime-node';",
    '',
    "const session = await ort.InferenceSession.create('model.onnx');",
    'const feeds = {',
    ...lines,
    '};',
    'const out = await session.run(feeds);',
    classification
      ? 'console.log(JSON.stringify({ label: out.label.data[0], probabilities: Array.from(out.probabilities.data) }));'
      : 'console.log(JSON.stringify({ prediction: out.prediction.data[0] }));',
  ].join('\n');
}

export function javaSnippet(inputs: OnnxInputInfo[], example: Row, classification: boolean): string {
  const lines = inputs.map((i) => {
    const v = javaValue(i, onnxCell(i, example[i.name]));
    const arr = i.type === 'string' ? `new String[][] {{${v}}}` : i.type === 'double' ? `new double[][] {{${v}}}` : `new float[][] {{${v}}}`;
    return `      feeds.put(${JSON.stringify(i.name)}, OnnxTensor.createTensor(env, ${arr}));`;
  });
  return [
    'import ai.onnxruntime.*;',
    'import java.util.*;',
    '',
    'public class Predict {',
    '  public static void main(String[] args) throws OrtException {',
    '    OrtEnvironment env = OrtEnvironment.getEnvironment();',
    '    try (OrtSession session = env.createSession("model.onnx", new OrtSession.SessionOptions())) {',
    '      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();',
    ...lines,
    '      try (OrtSession.Result result = session.run(feeds)) {',
    classification
      ? '        String[] label = (String[]) result.get("label").get().getValue();\n        float[][] probabilities = (float[][]) result.get("probabilities").get().getValue();\n        System.out.println(label[0] + " " + Arrays.toString(probabilities[0]));'
      : '        float[] prediction = (float[]) result.get("prediction").get().getValue();\n        System.out.println(prediction[0]);',
    '      }',
    '    }',
    '  }',
    '}',
  ].join('\n');
}

export function csharpSnippet(inputs: OnnxInputInfo[], example: Row, classification: boolean): string {
  const lines = inputs.map((i) => {
    const t = i.type === 'string' ? 'string' : i.type === 'double' ? 'double' : 'float';
    return `    NamedOnnxValue.CreateFromTensor(${JSON.stringify(i.name)}, new DenseTensor<${t}>(new ${t}[] { ${csValue(i, onnxCell(i, example[i.name]))} }, new[] { 1, 1 })),`;
  });
  return [
    'using Microsoft.ML.OnnxRuntime;',
    'using Microsoft.ML.OnnxRuntime.Tensors;',
    '',
    'using var session = new InferenceSession("model.onnx");',
    'var feeds = new List<NamedOnnxValue> {',
    ...lines,
    '};',
    'using var results = session.Run(feeds);',
    classification
      ? 'var label = results.First(r => r.Name == "label").AsEnumerable<string>().First();\nvar probabilities = results.First(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();\nConsole.WriteLine($"{label} {string.Join(", ", probabilities)}");'
      : 'var prediction = results.First(r => r.Name == "prediction").AsEnumerable<float>().First();\nConsole.WriteLine(prediction);',
  ].join('\n');
}

export function onnxCardBlocks(info: OnnxCardInfo | undefined, example: Row, classes: string[]): Block[] {
  if (!info) return [];
  const notExported = list([
    [`Not exported: ${NOT_EXPORTED.text}.`],
    [
      'Every other step and family exports: imputation with missing indicators, one-hot with the rare-level bucket, ordinal codes, target encoding, scaling, datetime parts; gradient boosting, random forest, extra trees, linear / logistic, MLP, naive Bayes, k-nearest neighbours, and weighted ensembles of them. ',
      'A k-nearest-neighbours graph holds its training rows (as model.json does) and compares each row of a batch with every one of them: score large batches in pieces.',
    ],
  ]);
  if (!info.ok) {
    return [
      h(2, 'ONNX'),
      p('This bundle has no ', { code: 'model.onnx' }, ': ', info.reason, '. Use ', { code: 'predict.mjs' }, ' or ', { code: 'serve.mjs' }, ' instead.'),
      p('What does not export to ONNX, and why:'),
      notExported,
    ];
  }
  const classification = info.outputs.some((o) => o.name === 'label');
  const rows = info.inputs.map((i) => [{ code: i.name }, i.type, `[N, 1]`, i.type === 'string' ? '"" (empty string)' : 'NaN']);
  return [
    h(2, 'ONNX'),
    p(
      { code: 'model.onnx' },
      " is the same model as one ONNX graph, from the raw columns to the predictions (preprocessing included), for ONNX Runtime in Python, Java, C#, C++, JavaScript and elsewhere (ONNX opset 17, ai.onnx.ml 3). It was checked in ONNX Runtime against Sieve's own predictions to 1e-5 relative.",
    ),
    p(
      'Inputs, one per column of ',
      { code: 'schema.json' },
      ' (also listed there under ',
      { code: 'x-onnx' },
      '): numbers as float32 (read as the shortest decimal that rounds to the float32 value, which is the number as written when it has at most 7 significant digits), categories and booleans as the level text of the training data (no trimming or synonyms: ',
      { code: '"Yes"' },
      ', not ',
      { code: 'true' },
      '), dates as double epoch milliseconds (UTC).',
    ),
    table(['input', 'type', 'shape', 'missing value'], rows),
    p(
      'Outputs: ',
      ...(classification
        ? [
            { code: 'label' },
            ' (string [N]) and ',
            { code: 'probabilities' },
            ` (float [N, ${classes.length}], columns in this order: ${classes.map((c) => JSON.stringify(c)).join(', ')})`,
          ]
        : [{ code: 'prediction' }, ' (float [N])']),
      ". The graph's metadata (",
      { code: 'metadata_props' },
      ') names the producer, version, target, metric, test score and the SHA-256 of the training file, so a model.onnx found on a disk leads back to this card.',
    ),
    h(3, 'Python (onnxruntime)'),
    code('python', pythonSnippet(info.inputs, example, classification)),
    h(3, 'JavaScript (onnxruntime-node)'),
    p(
      'Save as ',
      { code: 'onnx-example.mjs' },
      ' beside model.onnx, run ',
      { code: 'npm install onnxruntime-node' },
      ' and ',
      { code: 'node onnx-example.mjs' },
      ':',
    ),
    code('js', javascriptSnippet(info.inputs, example, classification)),
    h(3, 'Java (com.microsoft.onnxruntime)'),
    code('java', javaSnippet(info.inputs, example, classification)),
    h(3, 'C# (Microsoft.ML.OnnxRuntime)'),
    code('csharp', csharpSnippet(info.inputs, example, classification)),
    p('What does not export to ONNX, and why:'),
    notExported,
  ];
}

/**
 * The model's input schema: which columns a row needs and what each may hold. `inputSchemaFromModel`
 * reads the bare minimum (names and types) from the fitted pipelines; a bundle also records the levels
 * seen in training. `toJsonSchema` writes the JSON Schema (draft 2020-12) of one input row, the
 * bundle's schema.json and serve.mjs's GET /schema.
 *
 * Column names are the training file's headers, so any text: `properties` is a null-prototype object,
 * where "__proto__" is a key like any other (in a plain object it would set the prototype and vanish
 * from schema.json), and types are read only from the pipeline's own keys.
 */
import type { FinalModelJSON } from '../../automl/model.ts';
import { quoteName } from './message-text.ts';
import type { InputColumn, InputSchema } from './types.ts';

export function inputSchemaFromModel(model: FinalModelJSON): InputSchema {
  const columns: InputColumn[] = [];
  const seen = new Set<string>();
  for (const m of model.members) {
    const p = m.model.pipeline;
    for (const name of p.inputColumns) {
      if (seen.has(name)) continue;
      seen.add(name);
      const type = Object.prototype.hasOwnProperty.call(p.inputTypes, name) ? p.inputTypes[name] : undefined;
      if (type === undefined) throw new Error(`the model reads column ${quoteName(name)} but records no type for it`);
      columns.push({ name, type: type === 'identifier' ? 'categorical' : type });
    }
  }
  return { columns };
}

type JsonSchema = Record<string, unknown>;

/** JSON Schema of one input row. A key must be present; null (or "") means the value is missing. */
export function toJsonSchema(schema: InputSchema, title: string): JsonSchema {
  const properties = Object.create(null) as Record<string, JsonSchema>;
  for (const c of schema.columns) properties[c.name] = columnSchema(c);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title,
    description:
      'One input row, keyed by column name. Every listed column must be present; null or an empty string means the value is missing. ' +
      'Numbers may also be given as strings ("29"), as in a CSV. Other keys are ignored.',
    type: 'object',
    properties,
    required: schema.columns.map((c) => c.name),
    additionalProperties: true,
  };
}

function columnSchema(c: InputColumn): JsonSchema {
  const missing = describeMissing(c);
  switch (c.type) {
    case 'numeric':
      return { type: ['number', 'null'], description: `A number.${missing}` };
    case 'datetime':
      return {
        type: ['string', 'null'],
        format: 'date-time',
        description: `A date or date-time, ISO 8601 ("2021-03-04" or "2021-03-04T10:22:00Z"; no offset means UTC).${missing}`,
      };
    case 'boolean': {
      const words = c.falseLevel !== undefined && c.trueLevel !== undefined ? [c.falseLevel, c.trueLevel] : [];
      return {
        anyOf: [{ type: 'boolean' }, ...(words.length ? [{ enum: words }] : []), { type: 'null' }],
        description: `true or false${words.length ? ` (or "${words[1]}" / "${words[0]}", as in the training data)` : ''}.${missing}`,
      };
    }
    case 'text':
      return { type: ['string', 'null'], description: `Free text (hashed into word counts).${missing}` };
    default: {
      const levels = c.levels ?? [];
      return {
        anyOf: [
          ...(levels.length ? [{ enum: levels, description: 'levels seen in the training data' }] : []),
          { type: 'string', description: 'any other value: a level the model never saw, treated as its "other / unknown" level' },
          { type: 'null' },
        ],
        description: `A category.${c.levelsTruncated ? ' (Only the most frequent training levels are listed.)' : ''}${missing}`,
      };
    }
  }
}

function describeMissing(c: InputColumn): string {
  if (c.missingShare === undefined || c.missingShare === 0) return '';
  return ` Missing in ${(100 * c.missingShare).toFixed(1)} % of the training rows.`;
}

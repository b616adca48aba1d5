/**
 * The bundle's input schema: the model's input columns and types (from its pipelines) plus what the
 * training data shows about each — the levels of a category (sorted), the words a boolean column
 * uses, how often it was missing.
 */
import type { FinalModelJSON } from '../automl/model.ts';
import type { Frame } from '../data/frame.ts';
import { compareStrings } from '../prep/columns.ts';
import { inputSchemaFromModel } from './runtime/schema.ts';
import { MAX_SCHEMA_LEVELS, type InputSchema } from './runtime/types.ts';

export function inputSchemaForBundle(model: FinalModelJSON, frame: Frame): InputSchema {
  const base = inputSchemaFromModel(model);
  return {
    columns: base.columns.map((c) => {
      const col = frame.columns.find((x) => x.name === c.name);
      if (!col) return c;
      const out = { ...c };
      let missing = 0;
      if (col.storage === 'numeric') {
        for (const v of col.values) if (Number.isNaN(v)) missing++;
      } else {
        const counts = new Float64Array(col.levels.length);
        for (const code of col.codes) {
          if (code < 0) missing++;
          else counts[code]++;
        }
        if (c.type === 'boolean' && col.levels.length === 2) {
          // The CSV reader orders a boolean column's levels [false word, true word].
          out.falseLevel = col.levels[0];
          out.trueLevel = col.levels[1];
        }
        if (c.type === 'categorical' || c.type === 'boolean') {
          let present = col.levels.map((_, i) => i).filter((i) => counts[i] > 0);
          if (present.length > MAX_SCHEMA_LEVELS) {
            const keep = new Set([...present].sort((a, b) => counts[b] - counts[a]).slice(0, MAX_SCHEMA_LEVELS));
            present = present.filter((i) => keep.has(i));
            out.levelsTruncated = true;
          }
          out.levels = present.map((i) => col.levels[i]).sort(compareStrings);
        }
      }
      out.missingShare = frame.rows > 0 ? missing / frame.rows : 0;
      return out;
    }),
  };
}

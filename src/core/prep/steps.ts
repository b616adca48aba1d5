/** Rebuilds any fitted preprocessing step from its JSON (the `type` field says which). */
import { DatetimeExpander, type DatetimeJSON } from './datetime.ts';
import { Imputer, type ImputerJSON } from './impute.ts';
import { OneHotEncoder, type OneHotJSON } from './onehot.ts';
import { OrdinalEncoder, type OrdinalJSON } from './ordinal.ts';
import { StandardScaler, type ScalerJSON } from './scale.ts';
import type { PrepStep, StepJSON } from './step.ts';
import { TargetEncoder, type TargetEncodeJSON } from './target-encode.ts';
import { TextHasher, type TextHashJSON } from './text-hash.ts';

export function stepFromJSON(json: StepJSON): PrepStep {
  switch (json.type) {
    case 'datetime':
      return DatetimeExpander.fromJSON(json as DatetimeJSON);
    case 'text_hash':
      return TextHasher.fromJSON(json as TextHashJSON);
    case 'impute':
      return Imputer.fromJSON(json as ImputerJSON);
    case 'onehot':
      return OneHotEncoder.fromJSON(json as OneHotJSON);
    case 'target_encode':
      return TargetEncoder.fromJSON(json as TargetEncodeJSON);
    case 'ordinal':
      return OrdinalEncoder.fromJSON(json as OrdinalJSON);
    case 'scale':
      return StandardScaler.fromJSON(json as ScalerJSON);
    default:
      throw new Error(`unknown preprocessing step "${json.type}" (the model file may come from a newer Sieve)`);
  }
}

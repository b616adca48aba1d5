/**
 * Checks of a model file before anything is built from it: the envelope's format and version, the
 * fields the runtime relies on, and the recorded SHA-256 of the model (a damaged or edited file is
 * refused with a message that says so). A bare FinalModelJSON (no envelope) is accepted too, wrapped
 * with what can be read from it.
 */
import type { FinalModelJSON } from '../../automl/model.ts';
import { sha256Hex } from '../sha256.ts';
import { describe } from './message-text.ts';
import { inputSchemaFromModel } from './schema.ts';
import { BUNDLE_MODEL_FORMAT, BUNDLE_MODEL_VERSION, type BundleModelFile } from './types.ts';

export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** The envelope from parsed model.json, checked; throws ModelFileError with the reason. */
export function checkModelFile(json: unknown, verify = true): BundleModelFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ModelFileError('model.json does not hold a JSON object');
  const obj = json as Record<string, unknown>;
  if (obj.format === 'sieve-model') return wrapBareModel(obj as unknown as FinalModelJSON);
  if (obj.format !== BUNDLE_MODEL_FORMAT) {
    throw new ModelFileError(`model.json is not a Sieve model file (format ${describe(obj.format ?? null)}, expected "${BUNDLE_MODEL_FORMAT}")`);
  }
  if (obj.version !== BUNDLE_MODEL_VERSION) {
    const newer = typeof obj.version === 'number' && obj.version > BUNDLE_MODEL_VERSION;
    throw new ModelFileError(
      `model.json has version ${describe(obj.version ?? null)}; this predictor reads version ${BUNDLE_MODEL_VERSION}` +
        (newer ? ' (the bundle comes from a newer Sieve: use the predict.mjs shipped with it)' : ''),
    );
  }
  const env = obj as unknown as BundleModelFile;
  for (const key of ['task', 'target', 'metric', 'created'] as const) {
    if (typeof env[key] !== 'string') throw new ModelFileError(`model.json lacks "${key}"`);
  }
  if (!Array.isArray(env.classes)) throw new ModelFileError('model.json lacks "classes"');
  if (!env.input || !Array.isArray(env.input.columns)) throw new ModelFileError('model.json lacks the input schema ("input.columns")');
  checkModel(env.model);
  if (!env.integrity || typeof env.integrity.model !== 'string') throw new ModelFileError('model.json lacks its SHA-256 ("integrity.model")');
  if (verify) {
    const actual = sha256Hex(JSON.stringify(env.model));
    if (actual !== env.integrity.model) {
      throw new ModelFileError('model.json does not match its recorded SHA-256: the model was changed or damaged after Sieve wrote it');
    }
  }
  if (env.model.target !== env.target || env.model.task !== env.task)
    throw new ModelFileError('model.json: the envelope and the model disagree on the target or the task');
  return env;
}

function checkModel(model: unknown): asserts model is FinalModelJSON {
  const m = model as FinalModelJSON | undefined;
  if (!m || typeof m !== 'object') throw new ModelFileError('model.json lacks "model"');
  if (m.format !== 'sieve-model') throw new ModelFileError(`model.json: "model" is not a Sieve model (format ${describe(m.format ?? null)})`);
  if (m.version !== 1) throw new ModelFileError(`model.json: unsupported model version ${describe(m.version ?? null)}`);
  if (!Array.isArray(m.members) || m.members.length === 0) throw new ModelFileError('model.json: the model has no members');
  for (const member of m.members) {
    if (!member || typeof member.weight !== 'number' || !member.model || member.model.format !== 'sieve-fitted-model' || member.model.version !== 1) {
      throw new ModelFileError('model.json: a model member is malformed');
    }
    if (!member.model.pipeline || !member.model.estimator) throw new ModelFileError('model.json: a model member lacks its pipeline or estimator');
  }
}

function wrapBareModel(model: FinalModelJSON): BundleModelFile {
  checkModel(model);
  return {
    format: BUNDLE_MODEL_FORMAT,
    version: BUNDLE_MODEL_VERSION,
    created: '',
    app: { name: 'Sieve', version: 'unknown' },
    task: model.task,
    metric: model.task === 'regression' ? 'rmse' : model.task === 'binary' ? 'roc_auc' : 'log_loss',
    target: model.target,
    classes: model.classes,
    input: inputSchemaFromModel(model),
    integrity: { algorithm: 'SHA-256', model: sha256Hex(JSON.stringify(model)), files: {} },
    model,
  };
}

/**
 * loadModel: a model from wherever it is — model.json beside predict.mjs (no argument), a path (Node),
 * a URL (fetch in the browser and in Node ≥ 18; file: URLs read from disk in Node), the file's
 * bytes or text, or the parsed object.
 */
import { errorMessage } from '../../util/error-message.ts';
import { checkModelFile, ModelFileError } from './envelope.ts';
import { clipText } from './message-text.ts';
import { SieveModel } from './model.ts';
import type { LoadOptions } from './types.ts';

export type ModelSource = string | URL | Uint8Array | ArrayBuffer | object;

export async function loadModel(source?: ModelSource, opts: LoadOptions = {}): Promise<SieveModel> {
  const json = await readSource(source ?? new URL(/* @vite-ignore */ './model.json', import.meta.url));
  return new SieveModel(checkModelFile(json, opts.verify !== false));
}

/** The same from an object or text already at hand (no I/O). */
export function loadModelSync(source: string | Uint8Array | ArrayBuffer | object, opts: LoadOptions = {}): SieveModel {
  const json = typeof source === 'string' || source instanceof Uint8Array || source instanceof ArrayBuffer ? parseText(source) : source;
  return new SieveModel(checkModelFile(json, opts.verify !== false));
}

async function readSource(source: ModelSource): Promise<unknown> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return parseText(source);
  if (typeof source === 'string' && source.trimStart().startsWith('{')) return parseText(source);
  if (typeof source === 'object' && !(source instanceof URL)) return source;
  const where = String(source);
  // In messages: a path or URL cut to length (the error below may quote it again in its own text).
  const shown = clipText(where, 200);
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  const url = source instanceof URL ? source : parseUrl(where);
  if (isNode && (url === null || url.protocol === 'file:')) {
    // Through a variable so that bundlers for the browser leave Node's fs alone; this branch only runs in Node.
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as { readFile(p: string | URL): Promise<Uint8Array> };
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(url ?? where);
    } catch (err) {
      throw new ModelFileError(`cannot read the model file ${shown}: ${clipText(errorMessage(err), 400)}`);
    }
    return parseText(bytes, shown);
  }
  const response = await fetch(url ?? where);
  if (!response.ok) throw new ModelFileError(`cannot load the model from ${shown}: HTTP ${response.status}`);
  return parseText(await response.arrayBuffer(), shown);
}

function parseUrl(s: string): URL | null {
  // "C:\models\model.json" is a path, not a URL with scheme "c:".
  if (!/^[a-z][a-z0-9+.-]+:/i.test(s)) return null;
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

function parseText(data: string | Uint8Array | ArrayBuffer, where = 'the model'): unknown {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(`${where} is not valid JSON: ${clipText(errorMessage(err), 200)}`);
  }
}

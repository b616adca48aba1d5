/**
 * The champion: a previously exported model chosen as the existing process to beat ("Use as the
 * existing process" on the Ship step, or "Retrain on this file"). The Goal step offers it; it is
 * saved in IndexedDB so that it survives a reload, and a run compared with it reads its model from
 * there even after another champion was chosen.
 */
import { championName } from '../core/export/champion.ts';
import { loadModelSync } from '../core/export/runtime/load.ts';
import type { SieveModel } from '../core/export/runtime/model.ts';
import type { BundleModelFile } from '../core/export/runtime/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { LoadedBundle } from './bundle-export.ts';
import { storage } from './storage.svelte.ts';
import type { SieveStore, StoredChampion } from './store.ts';

export interface Champion {
  /** SHA-256 of its model (from the bundle's integrity record). */
  id: string;
  /** The bundle's file name. */
  fileName: string;
  /** How the A/B comparison names it. */
  name: string;
  modelFile: BundleModelFile;
  /** Loaded on the page to check it against the data on the Goal step. */
  model: SieveModel;
}

class ChampionState {
  /** The champion the Goal step offers (the last bundle chosen). */
  current = $state.raw<Champion | null>(null);

  /** The bundle's model becomes the champion, saved (older unused ones are deleted). */
  async use(loaded: LoadedBundle, fileName: string): Promise<void> {
    const modelFile = loaded.bundle.modelFile;
    const id = loaded.bundle.manifest.integrity.model;
    this.current = { id, fileName, name: championName(fileName, modelFile.created), modelFile, model: loaded.model };
    const store = storage.store;
    if (!store) return;
    try {
      await store.saveChampion({ id, fileName, modelFile, savedAt: Date.now() });
      await store.deleteUnusedChampions(id);
    } catch (err) {
      storage.failed(err, 'the champion model');
    }
  }

  /** After a reload: the last champion chosen, unless this version cannot read it. */
  async restore(store: SieveStore): Promise<void> {
    let stored: StoredChampion | undefined;
    try {
      stored = await store.latestChampion();
      if (!stored) return;
      const model = loadModelSync(stored.modelFile, { verify: false });
      this.current = {
        id: stored.id,
        fileName: stored.fileName,
        name: championName(stored.fileName, stored.modelFile.created),
        modelFile: stored.modelFile,
        model,
      };
    } catch (err) {
      // A saved champion this version cannot read is offered no more; the rest of the session is unaffected.
      storage.error = `Could not reopen the champion model${stored ? ` “${stored.fileName}”` : ''}: ${errorMessage(err)}. Load its bundle again.`;
    }
  }

  /** The model file of champion `id` (the current one, or one saved earlier); null when it is no longer saved. */
  async modelFile(id: string): Promise<BundleModelFile | null> {
    if (this.current?.id === id) return this.current.modelFile;
    try {
      return (await storage.store?.getChampion(id))?.modelFile ?? null;
    } catch {
      return null;
    }
  }
}

export const championState = new ChampionState();

/**
 * The page's IndexedDB store (null where the browser refuses one) and the last failure to use it, in
 * a sentence the page shows until dismissed. One place, so that every part that saves reports alike.
 */
import { SieveStore, toStorageFailure } from './store.ts';

class Storage {
  readonly store: SieveStore | null = null;
  /** The last storage failure, in a sentence; null when saving works. */
  error = $state<string | null>(null);

  constructor() {
    try {
      this.store = new SieveStore();
    } catch (err) {
      this.error = toStorageFailure(err, 'anything').message;
    }
  }

  /** Saving `what` ("the experiment", "the session") failed. */
  failed(err: unknown, what: string): void {
    this.error = toStorageFailure(err, what).message;
  }

  dismiss(): void {
    this.error = null;
  }
}

export const storage = new Storage();

// Boots a TypeScript worker thread: registers tsx's loader, then imports the entry module.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

/** Names for the parts of the engine's profile that the page shows (derived, so they follow the engine). */
import type { IngestedCsv } from './ingest-client.ts';

export type DatasetProfile = IngestedCsv['profile'];
export type ColumnProfile = DatasetProfile['columns'][number];
export type ProfileWarning = DatasetProfile['warnings'][number];
export type IngestNote = IngestedCsv['notes'][number];

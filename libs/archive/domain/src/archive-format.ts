import type { StreamHead } from './merkle';

/** The format of an archival export; a verifier refuses one it does not know. */
export const ARCHIVE_FORMAT = 'maatlat-archive/1';
export const MANIFEST_FILE = 'manifest.json';
export const CHECKPOINT_FILE = 'checkpoint.json';
/** The platform's signature over manifest.json (exports made with SIGNING_KEY); outside the manifest, which cannot list itself. */
export const MANIFEST_SIGNATURE_FILE = 'manifest.signature.json';

/**
 * One line of a stream's JSON Lines file: the event exactly as stored, with its links in the
 * stream's hash chain (hex), so the chain can be re-walked with SHA-256 and canonical JSON alone.
 */
export interface ArchivedEvent {
  streamId: string;
  version: number;
  position: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  /** ISO 8601 with milliseconds: the moment that goes into the link hash. */
  recordedAt: string;
  contentHash: string;
  previousHash: string;
  hash: string;
}

/**
 * An archived event as the domain event of its stream's kind (`E`, the union the stream was
 * written with). Read from a file, so nothing guarantees the data's shape: what it lacks shows where
 * the event is used, as a score that does not recompute.
 */
export function archivedAs<E extends { type: string; data: unknown }>(event: Pick<ArchivedEvent, 'type' | 'data'>): E {
  return { type: event.type, data: event.data } as E;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface ManifestStream {
  streamId: string;
  category: string;
  file: string;
  events: number;
  /** The stream head as the store recorded it when the export was taken. */
  head: { version: number; hash: string };
}

export interface ManifestAssessment {
  assessmentId: string;
  streamId: string;
  period: string;
  model: { key: string; version: string };
  /** The MDTO records of the assessment (informatieobject) and of its stream file (bestand). */
  mdto: string[];
}

export interface ManifestAlgorithm {
  id: string;
  scoreEvents: number;
  description: { nl: string; en: string };
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  organisationId: string;
  organisationName: string | null;
  exportedAt: string;
  /** Every file of the export but the manifest itself. */
  files: ManifestFile[];
  streams: ManifestStream[];
  assessments: ManifestAssessment[];
  modelVersions: { key: string; version: string; streamId: string }[];
  scoringAlgorithms: ManifestAlgorithm[];
  /** The signed checkpoint of the whole log the export is anchored in, when one covers it. */
  checkpoint?: ArchivedCheckpoint;
}

/** A signed checkpoint, with the inclusion proof of each exported stream's head at that checkpoint. */
export interface ArchivedCheckpoint {
  file: string;
  proofs: { streamId: string; head: StreamHead; index: number; path: string[] }[];
}

/** What the scoring algorithms do, in words, for the archive's reader (the code lives in the platform). */
export const ALGORITHM_DESCRIPTIONS: Record<string, { nl: string; en: string }> = {
  'maatlat-scoring/v1': {
    nl: 'Per vraag en laag het gemiddelde niveau (het laatste antwoord per respondent telt; "weet niet" telt niet mee, wel in de dekking); per sleutelfactor en laag het gewogen gemiddelde van de vragen; per sleutelfactor het gewogen gemiddelde over de lagen, met de spreiding; totaal het gewogen gemiddelde van de sleutelfactoren; fase = de hele fasen die bereikt zijn; sterke punten en aandachtspunten de drie hoogste en laagste sleutelfactoren; de risicoregels van het model. Getallen afgerond op twee decimalen.',
    en: 'Per question and layer the mean level (each respondent\'s latest answer counts; "don\'t know" left out, but counted in the coverage); per key factor and layer the weighted mean of its questions; per key factor the weighted mean over the layers, with the spread; overall the weighted mean of the key factors; stage = the whole stages completed; strengths and attention points the three highest and lowest key factors; the model\'s risk rules. Numbers rounded to two decimals.',
  },
};

/**
 * The file a stream is archived in: its id, with every character outside letters, digits, '.', '_'
 * and '-' written as %XX. An archive outlives the system that made it and is copied to whatever
 * file system its keeper uses: a response stream's ':' is refused in a name on Windows (and by
 * tools that unpack there), so it becomes %3A. The manifest pairs each file with its stream.
 * @example streamFile('response-a:b') === 'streams/response-a%3Ab.jsonl'
 */
export function streamFile(streamId: string): string {
  return `streams/${streamId.replace(/[^A-Za-z0-9._-]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}.jsonl`;
}

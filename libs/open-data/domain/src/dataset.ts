import { createHash } from 'node:crypto';
import { canonicalJson } from '@maatlat/shared/domain';
import type { BenchmarkCell } from '@maatlat/insights/domain';

/** One published assessment's results: aggregates only, nothing about respondents. */
export interface PublishedResult {
  assessmentId: string;
  organisation: { organisationId: string; name: string; organisationType: string; sizeBand: string };
  scope: { kind: 'organisation' | 'unit' | 'chain'; unitId?: string; chainId?: string };
  period: string;
  model: { key: string; version: string; contentHash: string };
  algorithm: string;
  overall: { score: number | null; stage: number | null };
  factors: { factorId: string; score: number | null; stage: number | null }[];
  publishedAt: string;
}

/** Benchmark cells over the published results of one model version and period: shown figures only. */
export interface PublishedBenchmark {
  model: { key: string; version: string };
  period: string;
  groupBy: 'all' | 'organisationType' | 'sizeBand';
  cell: BenchmarkCell;
}

/**
 * A cell of a published benchmark edition (`BenchmarkPublished`: figures frozen when a platform
 * administrator published them, over every scored organisation of the model and period): shown
 * figures only, and nothing of which organisations or score events went in.
 */
export interface PublishedBenchmarkEdition {
  model: { key: string; version: string };
  period: string;
  level: string;
  edition: number;
  publishedAt: string;
  minGroup: number;
  percentileMethod: string;
  groupBy: 'all' | 'organisationType' | 'sizeBand';
  cell: BenchmarkCell;
}

export interface DatasetFile {
  name: string;
  mediaType: string;
  content: string;
  bytes: number;
  sha256: string;
}

export interface DatasetInput {
  version: number;
  createdAt: string;
  results: PublishedResult[];
  benchmarks: PublishedBenchmark[];
  /** The published benchmark editions, every edition of every model key, period and level. */
  benchmarkEditions: PublishedBenchmarkEdition[];
  /** Model versions the results and editions conform to, with their titles. */
  models: { key: string; version: string; contentHash: string; title: string }[];
  /** Signed checkpoints of the log recorded so far, and the keys to check them with (a copy outside the database). */
  checkpoints: unknown[];
  publicKeys: unknown[];
  licence: string;
  /** Who publishes the dataset: a name, and the organisation's URI (e.g. its TOOI identifier) when known. */
  publisher: { name: string; uri?: string };
  /** Where the dataset is served, e.g. https://maatlat.example/open-data */
  baseUrl: string;
  minGroup: number;
}

export interface Dataset {
  contentId: string;
  files: DatasetFile[];
  metadata: Record<string, unknown>;
}

const CSV_RESULTS_HEADER = [
  'assessment_id',
  'organisation_id',
  'organisation_name',
  'organisation_type',
  'size_band',
  'scope_kind',
  'unit_id',
  'chain_id',
  'period',
  'model_key',
  'model_version',
  'scoring_algorithm',
  'factor_id',
  'score',
  'stage',
];
const CSV_BENCHMARK_HEADER = ['model_key', 'model_version', 'period', 'group_by', 'group_value', 'factor_id', 'organisations', 'p10', 'p25', 'p50', 'p75', 'p90'];
const CSV_EDITION_HEADER = ['model_key', 'model_version', 'period', 'level', 'edition', 'published_at', 'group_by', 'group_value', 'factor_id', 'organisations', 'p10', 'p25', 'p50', 'p75', 'p90'];

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function file(name: string, mediaType: string, content: string): DatasetFile {
  const bytes = Buffer.from(content, 'utf8');
  return { name, mediaType, content, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The results as CSV (RFC 4180): one row per assessment and factor, and one with factor `overall`. */
export function resultsCsv(results: readonly PublishedResult[]): string {
  return csv(
    CSV_RESULTS_HEADER,
    results.flatMap((r) => {
      const common = [r.assessmentId, r.organisation.organisationId, r.organisation.name, r.organisation.organisationType, r.organisation.sizeBand, r.scope.kind, r.scope.unitId, r.scope.chainId, r.period, r.model.key, r.model.version, r.algorithm];
      return [[...common, 'overall', r.overall.score, r.overall.stage], ...r.factors.map((f) => [...common, f.factorId, f.score, f.stage])];
    }),
  );
}

/** A cell's shown figures as CSV rows (group value, factor, organisations, percentiles): k organisations or more only. */
function shownFigureRows(groupBy: PublishedBenchmark['groupBy'], cell: BenchmarkCell): (string | number | null)[][] {
  const value = groupBy === 'all' ? 'all' : (cell.group[groupBy] ?? '');
  const rows: (string | number | null)[][] = [];
  for (const [factorId, figure] of [['overall', cell.overall] as const, ...cell.factors.map((f) => [f.factorId, f] as const)]) {
    if (figure.status !== 'shown') continue;
    rows.push([groupBy, value, factorId, figure.organisations, figure.p10, figure.p25, figure.p50, figure.p75, figure.p90]);
  }
  return rows;
}

/** The benchmarks as CSV: shown figures only (k organisations or more, not open to differencing). */
export function benchmarksCsv(benchmarks: readonly PublishedBenchmark[]): string {
  return csv(
    CSV_BENCHMARK_HEADER,
    benchmarks.flatMap((b) => shownFigureRows(b.groupBy, b.cell).map((row) => [b.model.key, b.model.version, b.period, ...row])),
  );
}

/** The published benchmark editions as CSV: shown figures only, one row per edition, group and factor. */
export function benchmarkEditionsCsv(editions: readonly PublishedBenchmarkEdition[]): string {
  return csv(
    CSV_EDITION_HEADER,
    editions.flatMap((e) => shownFigureRows(e.groupBy, e.cell).map((row) => [e.model.key, e.model.version, e.period, e.level, e.edition, e.publishedAt, ...row])),
  );
}

/** Only the figures that are shown: a suppressed one says nothing, not even that it exists. */
function shownOnly<B extends { cell: BenchmarkCell }>(benchmarks: readonly B[]) {
  return benchmarks
    .map((b) => ({
      ...b,
      cell: {
        group: b.cell.group,
        overall: b.cell.overall.status === 'shown' ? b.cell.overall : null,
        factors: b.cell.factors.filter((f) => f.status === 'shown'),
      },
    }))
    .filter((b) => b.cell.overall || b.cell.factors.length);
}

const PERIOD_YEAR = /^(\d{4})/;

/**
 * A dataset version: the distributions (results and benchmarks as CSV, everything as JSON, the
 * signed checkpoints) and their DCAT-AP metadata as JSON-LD, the profile data.overheid.nl
 * harvests. Its content id is the SHA-256 over the distributions' names and hashes: the same
 * content always has the same id.
 */
export function buildDataset(input: DatasetInput): Dataset {
  const json = {
    version: input.version,
    createdAt: input.createdAt,
    licence: input.licence,
    minGroup: input.minGroup,
    results: input.results,
    benchmarks: shownOnly(input.benchmarks),
    benchmarkEditions: shownOnly(input.benchmarkEditions),
  };
  const files = [
    file('results.csv', 'text/csv', resultsCsv(input.results)),
    file('benchmarks.csv', 'text/csv', benchmarksCsv(input.benchmarks)),
    file('benchmark-editions.csv', 'text/csv', benchmarkEditionsCsv(input.benchmarkEditions)),
    file('dataset.json', 'application/json', `${JSON.stringify(json, null, 1)}\n`),
    file('checkpoints.json', 'application/json', `${JSON.stringify({ checkpoints: input.checkpoints, keys: input.publicKeys }, null, 1)}\n`),
  ];
  const contentId = createHash('sha256')
    .update(canonicalJson(files.map((f) => [f.name, f.sha256])))
    .digest('hex');
  return { contentId, files, metadata: dcatMetadata(input, files, contentId) };
}

const DESCRIPTIONS: Record<string, { nl: string; en: string }> = {
  'results.csv': { nl: 'Uitkomsten per gepubliceerde meting: per sleutelfactor en totaal de score (0-5) en fase.', en: 'Results per published assessment: per key factor and overall the score (0-5) and stage.' },
  'benchmarks.csv': { nl: 'Benchmarks over de gepubliceerde metingen: percentielen per groep van ten minste k organisaties.', en: 'Benchmarks over the published assessments: percentiles per group of at least k organisations.' },
  'benchmark-editions.csv': {
    nl: 'Gepubliceerde benchmarkedities: de bevroren percentielen per model, periode, niveau en editie, per groep van ten minste k organisaties.',
    en: 'Published benchmark editions: the frozen percentiles per model, period, level and edition, per group of at least k organisations.',
  },
  'dataset.json': { nl: 'De volledige dataset als JSON.', en: 'The whole dataset as JSON.' },
  'checkpoints.json': { nl: 'Ondertekende controlepunten van het gebeurtenissenlogboek en de publieke sleutels.', en: 'Signed checkpoints of the event log and the public keys.' },
};

function text(nl: string, en: string) {
  return [
    { '@language': 'nl', '@value': nl },
    { '@language': 'en', '@value': en },
  ];
}

function dcatMetadata(input: DatasetInput, files: DatasetFile[], contentId: string): Record<string, unknown> {
  const years = [...input.results, ...input.benchmarkEditions]
    .map((r) => PERIOD_YEAR.exec(r.period)?.[1])
    .filter((y): y is string => !!y)
    .sort();
  const versionUrl = `${input.baseUrl}/versions/${input.version}`;
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      spdx: 'http://spdx.org/rdf/terms#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      owl: 'http://www.w3.org/2002/07/owl#',
      adms: 'http://www.w3.org/ns/adms#',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
    },
    '@id': versionUrl,
    '@type': 'dcat:Dataset',
    'dct:identifier': contentId,
    'dct:title': text('Datavolwassenheid van Nederlandse overheidsorganisaties (Maatlat)', 'Data maturity of Dutch public organisations (Maatlat)'),
    'dct:description': text(
      `Uitkomsten van metingen van datagedreven werken die organisaties zelf openbaar hebben gemaakt (Woo), per sleutelfactor en totaal, en benchmarks over groepen van ten minste ${input.minGroup} organisaties. Geen gegevens over respondenten.`,
      `Results of data-maturity assessments that the organisations themselves made public (Woo), per key factor and overall, and benchmarks over groups of at least ${input.minGroup} organisations. Nothing about respondents.`,
    ),
    'dct:publisher': { ...(input.publisher.uri ? { '@id': input.publisher.uri } : {}), '@type': 'foaf:Agent', 'foaf:name': input.publisher.name },
    'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': input.publisher.name, 'vcard:hasURL': { '@id': input.baseUrl } },
    'dct:license': { '@id': input.licence },
    'dct:accessRights': { '@id': 'http://publications.europa.eu/resource/authority/access-right/PUBLIC' },
    'dct:language': [{ '@id': 'http://publications.europa.eu/resource/authority/language/NLD' }, { '@id': 'http://publications.europa.eu/resource/authority/language/ENG' }],
    'dct:issued': { '@value': input.createdAt, '@type': 'xsd:dateTime' },
    'dct:modified': { '@value': input.createdAt, '@type': 'xsd:dateTime' },
    'owl:versionInfo': String(input.version),
    'adms:versionNotes': text(`Versie ${input.version}: ${input.results.length} gepubliceerde meting(en).`, `Version ${input.version}: ${input.results.length} published assessment(s).`),
    ...(input.version > 1 ? { 'dct:isVersionOf': { '@id': input.baseUrl }, 'adms:prev': { '@id': `${input.baseUrl}/versions/${input.version - 1}` } } : { 'dct:isVersionOf': { '@id': input.baseUrl } }),
    ...(years.length
      ? {
          'dct:temporal': {
            '@type': 'dct:PeriodOfTime',
            'dcat:startDate': { '@value': `${years[0]}-01-01`, '@type': 'xsd:date' },
            'dcat:endDate': { '@value': `${years[years.length - 1]}-12-31`, '@type': 'xsd:date' },
          },
        }
      : {}),
    'dct:conformsTo': input.models.map((m) => ({
      '@id': `urn:maatlat:model:${m.key}:${m.version}`,
      '@type': 'dct:Standard',
      'dct:title': m.title,
      'dct:identifier': `sha256:${m.contentHash}`,
      'owl:versionInfo': m.version,
    })),
    'dcat:distribution': files.map((f) => ({
      '@id': `${versionUrl}/${f.name}`,
      '@type': 'dcat:Distribution',
      'dct:title': f.name,
      'dct:description': text(DESCRIPTIONS[f.name].nl, DESCRIPTIONS[f.name].en),
      'dcat:accessURL': { '@id': `${versionUrl}/${f.name}` },
      'dcat:downloadURL': { '@id': `${versionUrl}/${f.name}` },
      'dcat:mediaType': { '@id': `https://www.iana.org/assignments/media-types/${f.mediaType}` },
      'dct:format': { '@id': `http://publications.europa.eu/resource/authority/file-type/${f.mediaType === 'text/csv' ? 'CSV' : 'JSON'}` },
      'dct:license': { '@id': input.licence },
      'dcat:byteSize': { '@value': String(f.bytes), '@type': 'xsd:nonNegativeInteger' },
      'spdx:checksum': {
        '@type': 'spdx:Checksum',
        'spdx:algorithm': { '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256' },
        'spdx:checksumValue': { '@value': f.sha256, '@type': 'xsd:hexBinary' },
      },
    })),
  };
}

import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { modelCatalogueFeature, type LayerId } from '@maatlat/model-catalogue/feature';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/feature';

const { shippedModels: SHIPPED_MODELS, shippedCrosswalks: SHIPPED_CROSSWALKS } = modelCatalogueFeature.offline;
import type { PlatformServices } from '../features';

export type Seed = [name: string, type: OrganisationType, size: SizeBand];

/**
 * Sixty public organisations, spread so that benchmarks show something: most organisation types
 * and size bands have five or more members and none of them is all but a few of one type (which
 * differencing would withhold), while the inspectorates (four) stay below k on purpose and the
 * very large organisations are withheld because all but four of them are not executive agencies.
 */
export const ORGANISATIONS: readonly Seed[] = [
  ['Ministerie van Binnenlandse Zaken en Koninkrijksrelaties', 'ministry', 'large'],
  ['Ministerie van Sociale Zaken en Werkgelegenheid', 'ministry', 'medium'],
  ['Ministerie van Infrastructuur en Waterstaat', 'ministry', 'large'],
  ['Ministerie van Onderwijs, Cultuur en Wetenschap', 'ministry', 'medium'],
  ['Ministerie van Justitie en Veiligheid', 'ministry', 'large'],
  ['Ministerie van Financiën', 'ministry', 'medium'],
  ['UWV', 'executive-agency', 'very-large'],
  ['Belastingdienst', 'executive-agency', 'very-large'],
  ['Sociale Verzekeringsbank', 'executive-agency', 'large'],
  ['Dienst Uitvoering Onderwijs', 'executive-agency', 'large'],
  ['RDW', 'executive-agency', 'medium'],
  ['Centraal Justitieel Incassobureau', 'executive-agency', 'medium'],
  ['Immigratie- en Naturalisatiedienst', 'executive-agency', 'large'],
  ['Rijkswaterstaat', 'executive-agency', 'very-large'],
  ['Inspectie Leefomgeving en Transport', 'inspectorate-or-regulator', 'medium'],
  ['Nederlandse Voedsel- en Warenautoriteit', 'inspectorate-or-regulator', 'large'],
  ['Inspectie van het Onderwijs', 'inspectorate-or-regulator', 'small'],
  ['Autoriteit Persoonsgegevens', 'inspectorate-or-regulator', 'small'],
  ['Provincie Gelderland', 'province', 'large'],
  ['Provincie Noord-Holland', 'province', 'large'],
  ['Provincie Utrecht', 'province', 'medium'],
  ['Provincie Drenthe', 'province', 'small'],
  ['Provincie Limburg', 'province', 'medium'],
  ['Provincie Zeeland', 'province', 'small'],
  ['Gemeente Amsterdam', 'municipality', 'very-large'],
  ['Gemeente Rotterdam', 'municipality', 'very-large'],
  ['Gemeente Utrecht', 'municipality', 'large'],
  ['Gemeente Zwolle', 'municipality', 'medium'],
  ['Gemeente Eindhoven', 'municipality', 'large'],
  ['Gemeente Groningen', 'municipality', 'large'],
  ['Gemeente Leeuwarden', 'municipality', 'medium'],
  ['Gemeente Deventer', 'municipality', 'medium'],
  ['Gemeente Texel', 'municipality', 'small'],
  ['Gemeente Vaals', 'municipality', 'small'],
  ['Waterschap Rivierenland', 'water-board', 'medium'],
  ['Hoogheemraadschap van Rijnland', 'water-board', 'medium'],
  ['Waterschap Vallei en Veluwe', 'water-board', 'medium'],
  ['Wetterskip Fryslân', 'water-board', 'small'],
  ['Waterschap Limburg', 'water-board', 'small'],
  ['Ministerie van Volksgezondheid, Welzijn en Sport', 'ministry', 'very-large'],
  ['Ministerie van Defensie', 'ministry', 'very-large'],
  ['Kadaster', 'executive-agency', 'medium'],
  ['Rijksdienst voor Ondernemend Nederland', 'executive-agency', 'very-large'],
  ['Provincie Zuid-Holland', 'province', 'large'],
  ['Provincie Noord-Brabant', 'province', 'large'],
  ['Provincie Overijssel', 'province', 'medium'],
  ['Provincie Groningen', 'province', 'medium'],
  ['Provincie Fryslân', 'province', 'small'],
  ['Provincie Flevoland', 'province', 'small'],
  ['Gemeente Den Haag', 'municipality', 'large'],
  ['Gemeente Amersfoort', 'municipality', 'medium'],
  ['Gemeente Delft', 'municipality', 'medium'],
  ['Gemeente Schiermonnikoog', 'municipality', 'small'],
  ['Gemeente Renkum', 'municipality', 'small'],
  ['Gemeente Bunnik', 'municipality', 'small'],
  ['Hoogheemraadschap Hollands Noorderkwartier', 'water-board', 'medium'],
  ['Hoogheemraadschap van Delfland', 'water-board', 'medium'],
  ['Waterschap Hunze en Aa\'s', 'water-board', 'small'],
  ['Waterschap Zuiderzeeland', 'water-board', 'small'],
  ['Waterschap Brabantse Delta', 'water-board', 'small'],
];

/** A small tree per organisation (each unit is an append: the demo must start quickly). */
const UNITS: [division: string, departments: string[]][] = [['Directie Uitvoering', ['Afdeling Dienstverlening', 'Afdeling Data en Analyse']]];

const LAYERS: LayerId[] = ['strategic', 'tactical', 'operational'];
/** Layers see the organisation differently: the top tends to be more optimistic than the floor. */
const LAYER_BIAS: Record<LayerId, number> = { strategic: 0.6, tactical: 0.1, operational: -0.4 };

/** Respondents per layer in each organisation's pool; each year 2 to this many of them answer. */
const RESPONDENTS_PER_LAYER = 3;
/** Assessed on 2026.1; then 2027.1 is published, and the last period is assessed on it: trends cross the revision. */
const PERIODS_BEFORE_REVISION = ['2025', '2026'];
const PERIOD_AFTER_REVISION = '2027';
/** Organisations seeded at once: enough to keep PostgreSQL busy while Node decides. */
const SEEDED_AT_ONCE = 4;

/** Runs `work` over the items, at most `size` at a time, keeping the results in the items' order. */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let nextIndex = 0;
  const lane = async () => {
    for (let i = nextIndex++; i < items.length; i = nextIndex++) results[i] = await work(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  return results;
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface SeedSummary {
  organisations: number;
  units: number;
  chains: number;
  respondents: number;
  assessments: number;
  answers: number;
  recalculatedBy: string;
  sampleAssessmentId: string;
  sampleOrganisationId: string;
}

/**
 * A realistic platform: sixty organisations with unit trees and two chains, yearly assessments in
 * 2025 and 2026 under 2026.1 with 2-4 respondents per layer who improve unevenly and disagree by
 * layer, then 2027.1 published with its crosswalk (which the worker rescores the earlier years
 * onto), and 2027 assessed on 2027.1: every trend crosses the revision.
 */
export async function seedDemo(services: PlatformServices, options: { organisations?: number; seed?: number; log?: (line: string) => void } = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID(), reason: 'demo data' });
  const { catalogue, organisations, chains, respondents, assessments } = services;

  const v2026 = await catalogue.get('datagedreven-overheid', '2026.1').catch(() => undefined);
  if (!v2026) {
    await catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('demo-admin'));
    await catalogue.publish('datagedreven-overheid', '2026.1', { legalBasis: 'Wet open overheid; AVG; Archiefwet 1995; Wet digitale overheid', effectiveFrom: '2026-01-01' }, meta('demo-admin'));
  }
  const questionsOf = (version: '2026.1' | '2027.1') => SHIPPED_MODELS[version].factors.flatMap((f) => f.questions.map((q) => ({ id: q.id, factor: f.id })));

  const chosen = ORGANISATIONS.slice(0, options.organisations ?? ORGANISATIONS.length);
  let units = 0;
  let respondentCount = 0;
  let assessmentCount = 0;
  let answerCount = 0;
  const unitOf = new Map<string, string>();
  const idOf = new Map<string, string>();

  /** What an organisation keeps from one phase of seeding to the next. */
  interface Seeded {
    organisationId: string;
    next: () => number;
    pool: Record<LayerId, string[]>;
    start: number;
    pace: number;
    factorOffset: Map<string, number>;
    lastAssessmentId: string;
  }

  const assess = async (org: Seeded, period: string, yearIndex: number, version: '2026.1' | '2027.1') => {
    const { organisationId, next, pool } = org;
    const questions = questionsOf(version);
    const opened = await assessments.open({ organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: 'datagedreven-overheid', version }, layers: LAYERS }, meta('demo-coordinator'));
    const assessmentId = opened.assessmentId;
    for (const layer of LAYERS) {
      const count = 2 + Math.floor(next() * (RESPONDENTS_PER_LAYER - 1));
      for (const respondentId of pool[layer].slice(0, count)) {
        await assessments.invite(assessmentId, respondentId, layer, meta('demo-coordinator'));
        const base = org.start + org.pace * yearIndex + LAYER_BIAS[layer];
        const answers = questions.map((q) => {
          if (next() < 0.08) return { questionId: q.id, answer: { dontKnow: true as const } };
          // A factor split by the revision (F07 into F07a and F07b) keeps its organisation's offset.
          const offset = org.factorOffset.get(q.factor) ?? org.factorOffset.get(q.factor.slice(0, 3)) ?? 0;
          const level = Math.round(base + offset + (next() - 0.5) * 1.5);
          return { questionId: q.id, answer: { level: Math.min(5, Math.max(0, level)) } };
        });
        await assessments.recordAnswers(assessmentId, respondentId, answers, meta(respondentId), { submit: true });
        answerCount += answers.length;
      }
    }
    await assessments.close(assessmentId, meta('demo-coordinator'));
    assessmentCount += 1;
    org.lastAssessmentId = assessmentId;
  };

  // Organisations are seeded side by side (each its own streams, so they never conflict), each with
  // a random sequence of its own: the data is the same whatever order they finish in.
  let seededCount = 0;
  const seedOne = async ([name, type, size]: Seed, index: number): Promise<Seeded> => {
    const next = random((options.seed ?? 2026) * 1000 + index);
    const organisation = await organisations.register({ name, organisationType: type, sizeBand: size }, meta('demo-admin'));
    const organisationId = organisation.organisationId;
    idOf.set(name, organisationId);
    for (const [division, departments] of UNITS) {
      const { unitId } = await organisations.addUnit(organisationId, { parentUnitId: null, name: division, kind: 'division' }, meta('demo-admin'));
      units += 1;
      for (const department of departments) {
        const added = await organisations.addUnit(organisationId, { parentUnitId: unitId, name: department, kind: 'department' }, meta('demo-admin'));
        units += 1;
        if (department === 'Afdeling Dienstverlening') unitOf.set(name, added.unitId);
      }
    }

    // A pool of respondents per layer, the same people year after year.
    const pool: Record<LayerId, string[]> = { strategic: [], tactical: [], operational: [] };
    for (const layer of LAYERS) {
      for (let i = 0; i < RESPONDENTS_PER_LAYER; i++) {
        const r = await respondents.register(organisationId, { name: `Demo ${layer} ${i + 1}`, email: `demo.${layer}.${i + 1}@${organisationId.slice(-8)}.example.nl` }, meta('demo-coordinator'));
        pool[layer].push(r.respondentId);
        respondentCount += 1;
      }
    }

    // Each organisation starts somewhere and improves unevenly; factors differ.
    const start = 0.8 + next() * 2.2;
    const pace = next() * 0.7;
    const factorOffset = new Map(SHIPPED_MODELS['2026.1'].factors.map((f) => [f.id, (next() - 0.5) * 1.6]));
    const org: Seeded = { organisationId, next, pool, start, pace, factorOffset, lastAssessmentId: '' };
    for (const [yearIndex, period] of PERIODS_BEFORE_REVISION.entries()) await assess(org, period, yearIndex, '2026.1');
    seededCount += 1;
    if (seededCount % 20 === 0 || seededCount === chosen.length) log(`  ${seededCount} of ${chosen.length} organisations seeded, ${PERIODS_BEFORE_REVISION.join(' and ')} assessed on 2026.1`);
    return org;
  };
  const seeded = await inBatches(chosen, SEEDED_AT_ONCE, seedOne);

  const chainSpecs: [string, string, string[]][] = [
    ['Keten Werk en Inkomen', 'UWV, SVB en gemeenten rond werk, uitkeringen en re-integratie', ['UWV', 'Sociale Verzekeringsbank', 'Gemeente Amsterdam', 'Gemeente Zwolle', 'Gemeente Groningen']],
    ['Keten Water en Klimaat', 'Rijkswaterstaat, waterschappen en provincies rond waterveiligheid', ['Rijkswaterstaat', 'Waterschap Rivierenland', 'Hoogheemraadschap van Rijnland', 'Provincie Gelderland', 'Provincie Utrecht']],
  ];
  let chainCount = 0;
  for (const [chainName, description, members] of chainSpecs) {
    const present = members.filter((m) => unitOf.has(m));
    if (present.length < 2) continue;
    const chain = await chains.form({ name: chainName, description }, meta('demo-admin'));
    for (const member of present) {
      await chains.addMember(chain.chainId, { organisationId: idOf.get(member)!, unitId: unitOf.get(member)! }, meta('demo-admin'));
    }
    chainCount += 1;
  }

  // The law changes: 2027.1 with its crosswalk. The worker picks the publication up and rescores
  // the closed assessments of 2026.1; the next period is assessed on 2027.1 itself.
  const v2027 = await catalogue.get('datagedreven-overheid', '2027.1').catch(() => undefined);
  if (!v2027) {
    await catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, meta('demo-admin'));
    await catalogue.setCrosswalk('datagedreven-overheid', '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], meta('demo-admin'));
    await catalogue.publish('datagedreven-overheid', '2027.1', { legalBasis: 'AI-verordening (EU) 2024/1689; Algoritmeregister', effectiveFrom: '2027-01-01' }, meta('demo-admin'));
  }
  await inBatches(seeded, SEEDED_AT_ONCE, (org) => assess(org, PERIOD_AFTER_REVISION, PERIODS_BEFORE_REVISION.length, '2027.1'));
  log(`  ${seeded.length} organisations assessed in ${PERIOD_AFTER_REVISION} on 2027.1`);

  const sample = seeded[seeded.length - 1];
  return {
    organisations: chosen.length,
    units,
    chains: chainCount,
    respondents: respondentCount,
    assessments: assessmentCount,
    answers: answerCount,
    recalculatedBy: 'the worker',
    sampleAssessmentId: sample?.lastAssessmentId ?? '',
    sampleOrganisationId: sample?.organisationId ?? '',
  };
}

import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { SHIPPED_CROSSWALKS, SHIPPED_MODELS, type LayerId } from '@maatlat/model-catalogue/domain';
import type { OrganisationType, SizeBand } from '@maatlat/organisations/domain';
import type { PlatformServices } from '../features';

type Seed = [name: string, type: OrganisationType, size: SizeBand];

/** Forty public organisations of every kind and size. */
const ORGANISATIONS: Seed[] = [
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
  ['Autoriteit Consument & Markt', 'inspectorate-or-regulator', 'medium'],
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
];

const UNITS: [division: string, departments: string[]][] = [
  ['Directie Informatievoorziening', ['Afdeling Data en Analyse', 'Afdeling Architectuur']],
  ['Directie Uitvoering', ['Afdeling Dienstverlening', 'Afdeling Handhaving']],
  ['Directie Bedrijfsvoering', ['Afdeling Juridische Zaken']],
];

const LAYERS: LayerId[] = ['strategic', 'tactical', 'operational'];
/** Layers see the organisation differently: the top tends to be more optimistic than the floor. */
const LAYER_BIAS: Record<LayerId, number> = { strategic: 0.6, tactical: 0.1, operational: -0.4 };

/** Respondents per layer in each organisation's pool; each year 2 to this many of them answer. */
const RESPONDENTS_PER_LAYER = 5;
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
 * A realistic platform: forty organisations with unit trees and two chains, three yearly
 * assessments each (2024-2026) under 2026.1 with 2-5 respondents per layer who improve unevenly and
 * disagree by layer, then 2027.1 published with its crosswalk, which the worker rescores.
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
  const model = SHIPPED_MODELS['2026.1'];
  const questions = model.factors.flatMap((f) => f.questions.map((q) => ({ id: q.id, factor: f.id })));

  const chosen = ORGANISATIONS.slice(0, options.organisations ?? ORGANISATIONS.length);
  let units = 0;
  let respondentCount = 0;
  let assessmentCount = 0;
  let answerCount = 0;
  const unitOf = new Map<string, string>();
  const idOf = new Map<string, string>();

  // Organisations are seeded side by side (each its own streams, so they never conflict), each with
  // a random sequence of its own: the data is the same whatever order they finish in.
  let seededCount = 0;
  const seedOne = async ([name, type, size]: Seed, index: number) => {
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
    const factorOffset = new Map(model.factors.map((f) => [f.id, (next() - 0.5) * 1.6]));
    let lastAssessmentId = '';
    for (const [yearIndex, period] of ['2024', '2025', '2026'].entries()) {
      const opened = await assessments.open(
        { organisationId, scope: { kind: 'organisation', organisationId }, period, model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: LAYERS },
        meta('demo-coordinator'),
      );
      const assessmentId = opened.assessmentId;
      for (const layer of LAYERS) {
        const count = 2 + Math.floor(next() * (RESPONDENTS_PER_LAYER - 1));
        for (const respondentId of pool[layer].slice(0, count)) {
          await assessments.invite(assessmentId, respondentId, layer, meta('demo-coordinator'));
          const base = start + pace * yearIndex + LAYER_BIAS[layer];
          const answers = questions.map((q) => {
            if (next() < 0.08) return { questionId: q.id, answer: { dontKnow: true as const } };
            const level = Math.round(base + factorOffset.get(q.factor)! + (next() - 0.5) * 1.5);
            return { questionId: q.id, answer: { level: Math.min(5, Math.max(0, level)) } };
          });
          await assessments.recordAnswers(assessmentId, respondentId, answers, meta(respondentId), { submit: true });
          answerCount += answers.length;
        }
      }
      await assessments.close(assessmentId, meta('demo-coordinator'));
      assessmentCount += 1;
      lastAssessmentId = assessmentId;
    }
    seededCount += 1;
    if (seededCount % 10 === 0 || seededCount === chosen.length) log(`  ${seededCount} of ${chosen.length} organisations seeded, 3 yearly assessments each`);
    return { organisationId, lastAssessmentId };
  };
  const seeded = await inBatches(chosen, SEEDED_AT_ONCE, seedOne);
  const sampleAssessmentId = seeded[seeded.length - 1]?.lastAssessmentId ?? '';
  const sampleOrganisationId = seeded[seeded.length - 1]?.organisationId ?? '';

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

  // The law changes: 2027.1 with its crosswalk. The worker picks the publication up and rescores.
  const v2027 = await catalogue.get('datagedreven-overheid', '2027.1').catch(() => undefined);
  if (!v2027) {
    await catalogue.draft({ document: SHIPPED_MODELS['2027.1'] }, meta('demo-admin'));
    await catalogue.setCrosswalk('datagedreven-overheid', '2027.1', SHIPPED_CROSSWALKS['2026.1->2027.1'], meta('demo-admin'));
    await catalogue.publish('datagedreven-overheid', '2027.1', { legalBasis: 'AI-verordening (EU) 2024/1689; Algoritmeregister', effectiveFrom: '2027-01-01' }, meta('demo-admin'));
  }

  return {
    organisations: chosen.length,
    units,
    chains: chainCount,
    respondents: respondentCount,
    assessments: assessmentCount,
    answers: answerCount,
    recalculatedBy: 'the worker',
    sampleAssessmentId,
    sampleOrganisationId,
  };
}

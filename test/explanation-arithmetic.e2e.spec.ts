import { randomUUID } from 'node:crypto';
import { mintLocalToken } from '@maatlat/access';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { PostgresEventStore } from '@maatlat/shared/event-store';
import { eventually } from '@maatlat/shared/testing';
import { SHIPPED_MODELS, type LayerId } from '@maatlat/model-catalogue/domain';
import { seedDemo } from '../apps/cli/src/demo/seed-demo';
import { platformServices, type PlatformServices } from '../apps/cli/src/features';
import { startPlatform, TEST_ISSUER_SECRET as SECRET, type TestPlatform } from './support/platform';

/**
 * An auditor's calculator, written apart from the platform's own arithmetic: exact rationals on
 * BigInt and a parser for what explanations print (numbers, + − × / and parentheses, × and /
 * before + and −, left to right).
 */
interface Rational {
  n: bigint;
  d: bigint;
}

function rational(n: bigint, d = 1n): Rational {
  if (d === 0n) throw new Error('division by zero in a printed expression');
  const abs = (x: bigint) => (x < 0n ? -x : x);
  let [a, b] = [abs(n), abs(d)];
  while (b !== 0n) [a, b] = [b, a % b];
  const sign = d < 0n ? -1n : 1n;
  return { n: (sign * n) / (a || 1n), d: (sign * d) / (a || 1n) };
}

/** A decimal as written ("1.5", "2.67", "-0.5"), exactly. */
function decimal(text: string): Rational {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const decimals = match[3] ?? '';
  return rational(BigInt(`${match[1]}${match[2]}${decimals}`), 10n ** BigInt(decimals.length));
}

const plus = (a: Rational, b: Rational) => rational(a.n * b.d + b.n * a.d, a.d * b.d);
const minus = (a: Rational, b: Rational) => rational(a.n * b.d - b.n * a.d, a.d * b.d);
const times = (a: Rational, b: Rational) => rational(a.n * b.n, a.d * b.d);
const over = (a: Rational, b: Rational) => rational(a.n * b.d, a.d * b.n);
const same = (a: Rational, b: Rational) => a.n === b.n && a.d === b.d;
const show = (r: Rational) => (r.d === 1n ? `${r.n}` : `${r.n}/${r.d}`);

/** `exact` in "5/3" or "7" form: a fraction as the result part of a line prints it. */
function fractionText(text: string): Rational {
  const [n, d = '1'] = text.split('/');
  return rational(BigInt(n), BigInt(d));
}

function evaluate(expression: string): Rational {
  const tokens = expression.match(/\d+(?:\.\d+)?|[+−×/()]/g) ?? [];
  expect(tokens.join('')).toBe(expression.replace(/\s+/g, ''));
  let at = 0;
  const sum = (): Rational => {
    let value = product();
    while (tokens[at] === '+' || tokens[at] === '−') value = tokens[at++] === '+' ? plus(value, product()) : minus(value, product());
    return value;
  };
  const product = (): Rational => {
    let value = operand();
    while (tokens[at] === '×' || tokens[at] === '/') value = tokens[at++] === '×' ? times(value, operand()) : over(value, operand());
    return value;
  };
  const operand = (): Rational => {
    if (tokens[at] === '(') {
      at += 1;
      const value = sum();
      expect(tokens[at++]).toBe(')');
      return value;
    }
    return decimal(tokens[at++]);
  };
  const value = sum();
  expect(at).toBe(tokens.length);
  return value;
}

function roundHalfAwayFromZero(value: Rational, places: number): Rational {
  const scale = 10n ** BigInt(places);
  const magnitude = (value.n < 0n ? -value.n : value.n) * scale;
  const rounded = (2n * magnitude + value.d) / (2n * value.d);
  return rational(value.n < 0n ? -rounded : rounded, scale);
}

/** The first `places` decimals of a non-negative value, cut off. */
function cutOff(value: Rational, places: number): Rational {
  return rational((value.n * 10n ** BigInt(places)) / value.d, 10n ** BigInt(places));
}

const LINE =
  /^(?<expression>[^=]+) = (?<exact>-?\d+(?:\/\d+)?)(?: = (?<decimal>-?\d+(?:\.(?<digits>\d+))?)(?<cut>…)?)?(?: → (?<rounded>-?\d+(?:\.\d+)?) \(rounded half away from zero to 2 decimals\))?$/;

let linesChecked = 0;
const seen = { roundingSteps: 0, cutOffDecimals: 0 };

/**
 * One printed line, checked as an auditor would: the expression evaluates exactly to the printed
 * exact result, the printed decimals are that result (whole, or cut off where marked …), and its
 * rounding is the printed rounding, which is the number the score records.
 */
function checkLine(line: string, recorded: number | null): Rational {
  const match = LINE.exec(line);
  expect({ line, parsed: match !== null }).toEqual({ line, parsed: true });
  const { expression, exact, decimal: printedDecimal, digits, cut, rounded } = match!.groups!;
  const value = evaluate(expression.trim());
  expect({ line, exact: show(value) }).toEqual({ line, exact: show(fractionText(exact)) });
  if (rounded !== undefined) seen.roundingSteps += 1;
  if (cut) seen.cutOffDecimals += 1;
  if (printedDecimal !== undefined) {
    const shown = cut ? cutOff(value, digits!.length) : value;
    expect({ line, decimal: show(decimal(printedDecimal)) }).toEqual({ line, decimal: show(shown) });
  }
  expect(recorded).not.toBeNull();
  const reported = rounded !== undefined ? decimal(rounded) : value;
  if (rounded !== undefined) expect({ line, rounded: show(roundHalfAwayFromZero(value, 2)) }).toEqual({ line, rounded: show(decimal(rounded)) });
  else expect({ line, needsNoRounding: same(roundHalfAwayFromZero(value, 2), value) }).toEqual({ line, needsNoRounding: true });
  expect({ line, reported: show(reported) }).toEqual({ line, reported: show(decimal(String(recorded))) });
  linesChecked += 1;
  return value;
}

/** The values a weighted-mean line takes its terms at: `(w × v + …) / Σw`. */
function termValues(line: string): Rational[] {
  const inner = /^\((.*)\) \/ [\d.]+ = /.exec(line)![1];
  return inner.split(' + ').map((term) => evaluate(term.split(' × ')[1]));
}

interface Cited {
  streamId: string;
  streamVersion: number;
  eventId: string;
  hash: string;
  answer: { level: number } | { dontKnow: true };
}
interface QuestionExplained {
  questionId: string;
  mean: number | null;
  answered: number;
  dontKnow: number;
  arithmetic: string;
  answers: Cited[];
}
interface LayerExplained {
  layer: string;
  score: number;
  arithmetic: string;
  questions: QuestionExplained[];
}
interface FactorExplained {
  factorId: string;
  score: number | null;
  spread: number | null;
  arithmetic: string;
  spreadArithmetic: string;
  layers: LayerExplained[];
}

/** Every line of one factor's explanation, and that each line's terms are the lines below it. */
function checkFactor(factor: FactorExplained): Rational | null {
  if (factor.score === null) {
    expect([factor.arithmetic, factor.layers]).toEqual(['no answers', []]);
    return null;
  }
  const layerValues = factor.layers.map((layer) => {
    const questionValues = layer.questions.map((question) => {
      const levels = question.answers.flatMap((a) => ('level' in a.answer ? [a.answer.level] : []));
      expect([levels.length, question.answers.length - levels.length]).toEqual([question.answered, question.dontKnow]);
      // The question line sums exactly the levels of the answer events it cites, in their order.
      expect(question.arithmetic.startsWith(`(${levels.join(' + ')}) / ${levels.length} = `)).toBe(true);
      return checkLine(question.arithmetic, question.mean);
    });
    const value = checkLine(layer.arithmetic, layer.score);
    expect(termValues(layer.arithmetic).map(show)).toEqual(questionValues.map(show));
    return value;
  });
  const value = checkLine(factor.arithmetic, factor.score);
  expect(termValues(factor.arithmetic).map(show)).toEqual(layerValues.map(show));
  const spread = checkLine(factor.spreadArithmetic, factor.spread);
  const sorted = [...layerValues].sort((a, b) => Number(minus(a, b).n));
  expect(show(spread)).toBe(show(minus(sorted[sorted.length - 1], sorted[0])));
  return value;
}

describe('explanations reproduce on a calculator, line by line, for every recorded score', () => {
  let platform: TestPlatform;
  let services: PlatformServices;
  let admin: string;
  const http = () => platform.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const meta = (actor: string): CommandMetadata => ({ now: new Date(), actor, correlationId: randomUUID() });

  beforeAll(async () => {
    platform = await startPlatform({ worker: true, maxConnections: 30 });
    const { db, pool } = platform.database;
    services = platformServices(db, new PostgresEventStore(db, pool), platform.config);
    admin = await mintLocalToken(SECRET, { subject: 'admin', roles: ['platform-admin'], organisations: [] });
  });
  afterAll(() => platform?.stop());

  /**
   * An assessment with revisions besides the demo's: four respondents per layer, some "don't
   * know", a quarter of the answers revised (to another level, to "don't know", or there and back),
   * one question only "don't know" on a layer. Closed before 2027.1 is published, so it is rescored too.
   */
  async function assessmentWithRevisions(organisationId: string): Promise<string> {
    const model = await services.catalogue.get('datagedreven-overheid', '2026.1');
    const questionIds = model.document.factors.flatMap((f) => f.questions.map((q) => q.id));
    const { assessmentId } = await services.assessments.open(
      { organisationId, scope: { kind: 'organisation', organisationId }, period: '2026-revisies', model: { key: 'datagedreven-overheid', version: '2026.1' }, layers: ['strategic', 'tactical', 'operational'] },
      meta('coordinator'),
    );
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const layer of ['strategic', 'tactical', 'operational'] as LayerId[]) {
      for (let i = 0; i < 4; i++) {
        const { respondentId } = await services.respondents.register(organisationId, { name: `Revisor ${layer} ${i}`, email: `revisor.${layer}.${i}@example.nl` }, meta('coordinator'));
        await services.assessments.invite(assessmentId, respondentId, layer, meta('coordinator'));
        const level = () => Math.min(5, Math.floor(next() * 6));
        const answers = questionIds.map((questionId) => ({
          questionId,
          answer: (questionId === 'F04-Q2' && layer === 'tactical') || next() < 0.1 ? { dontKnow: true as const } : { level: level() },
        }));
        await services.assessments.recordAnswers(assessmentId, respondentId, answers, meta(respondentId));
        for (const questionId of questionIds.filter(() => next() < 0.25)) {
          if (questionId === 'F04-Q2' && layer === 'tactical') continue;
          // Revised to another level, to "don't know", or to "don't know" and then a level again.
          const revision = next();
          if (revision < 0.4) await services.assessments.recordAnswer(assessmentId, respondentId, { questionId, answer: { dontKnow: true } }, meta(respondentId));
          if (revision >= 0.2) await services.assessments.recordAnswer(assessmentId, respondentId, { questionId, answer: { level: level() } }, meta(respondentId));
        }
        await services.assessments.submit(assessmentId, respondentId, meta(respondentId));
      }
    }
    await services.assessments.close(assessmentId, meta('coordinator'));
    return assessmentId;
  }

  it('checks every arithmetic line of the overall and every factor explanation of every score event', async () => {
    const organisationId = (await services.organisations.register({ name: 'Gemeente Rekenkamer', organisationType: 'municipality', sizeBand: 'medium' }, meta('admin'))).organisationId;
    await services.catalogue.draft({ document: SHIPPED_MODELS['2026.1'] }, meta('admin'));
    await services.catalogue.publish('datagedreven-overheid', '2026.1', { legalBasis: 'Woo', effectiveFrom: '2026-01-01' }, meta('admin'));
    const revised = await assessmentWithRevisions(organisationId);
    // The demo platform, one organisation: two yearly assessments on 2026.1, then 2027.1 published
    // with its crosswalk, which the worker rescores them onto (split, merged and retired questions),
    // and a third year assessed on 2027.1 itself.
    const demo = await seedDemo(services, { organisations: 1 });
    const { rows } = await platform.database.pool.query<{ id: string }>(`SELECT data->>'assessmentId' AS id FROM events WHERE type = 'AssessmentOpened' ORDER BY position`);
    const assessmentIds = rows.map((r) => r.id);
    expect(assessmentIds).toHaveLength(4);
    expect(assessmentIds).toContain(revised);
    expect(assessmentIds).toContain(demo.sampleAssessmentId);

    await eventually(
      async () => {
        const recalculations = (await http().get('/v1/recalculations').set(bearer(admin)).expect(200)).body;
        expect(recalculations).toEqual([expect.objectContaining({ total: 3, done: 3, failed: 0 })]);
      },
      { timeoutMs: 30_000 },
    );

    const modelVersions = new Set<string>();
    const citedTypes = new Map<string, number>();
    for (const assessmentId of assessmentIds) {
      // What explanations cite is in the timeline: the same event id, hash and answer at that stream and version.
      const timeline = new Map(
        ((await http().get(`/v1/assessments/${assessmentId}/events`).set(bearer(admin)).expect(200)).body as { streamId: string; version: number; eventId: string; hash: string; type: string; answer?: unknown }[]).map((e) => [
          `${e.streamId}#${e.version}`,
          e,
        ]),
      );
      const checkCitations = (factor: FactorExplained) => {
        for (const cited of factor.layers.flatMap((l) => l.questions.flatMap((q) => q.answers))) {
          const event = timeline.get(`${cited.streamId}#${cited.streamVersion}`)!;
          expect({ eventId: event.eventId, hash: event.hash, answer: event.answer }).toEqual({ eventId: cited.eventId, hash: cited.hash, answer: cited.answer });
          const kind = `${event.type} ${'level' in cited.answer ? 'level' : 'dontKnow'}`;
          citedTypes.set(kind, (citedTypes.get(kind) ?? 0) + 1);
        }
      };
      const scoreEvents = (await http().get(`/v1/assessments/${assessmentId}/score-events`).set(bearer(admin)).expect(200)).body as { version: number; eventId: string; type: string }[];
      expect(scoreEvents.map((e) => e.type)).toEqual(assessmentId === demo.sampleAssessmentId ? ['ScoreCalculated'] : ['ScoreCalculated', 'ScoreRecalculated']);
      for (const scoreEvent of scoreEvents) {
        const whole = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?scoreEvent=${scoreEvent.version}`).set(bearer(admin)).expect(200)).body;
        expect(whole.scoreEvent).toMatchObject({ version: scoreEvent.version, eventId: scoreEvent.eventId });
        modelVersions.add(whole.model.version);
        expect(timeline.get(`assessment-${assessmentId}#${scoreEvent.version}`)).toMatchObject({ eventId: whole.scoreEvent.eventId, hash: whole.scoreEvent.hash, type: scoreEvent.type });
        (whole.factors as FactorExplained[]).forEach(checkCitations);
        const factorValues = (whole.factors as FactorExplained[]).map(checkFactor);
        checkLine(whole.arithmetic, whole.overall);
        expect(termValues(whole.arithmetic).map(show)).toEqual(factorValues.filter((v): v is Rational => v !== null).map(show));
        // Each factor on its own (cut from the score by the database) prints the same checked lines.
        for (const factor of whole.factors as FactorExplained[]) {
          const one = (await http().get(`/v1/assessments/${assessmentId}/scores/explain?factor=${factor.factorId}&scoreEvent=${scoreEvent.eventId}`).set(bearer(admin)).expect(200)).body;
          expect(one).toEqual({ assessmentId, scoreEvent: whole.scoreEvent, algorithm: whole.algorithm, model: whole.model, rounding: whole.rounding, ...factor });
          checkFactor(one);
        }
      }
    }
    expect([...modelVersions].sort()).toEqual(['2026.1', '2027.1']);
    // The data exercised what makes exact printing matter: revisions, "don't know", rounding, endless decimals.
    expect(Object.fromEntries(citedTypes)).toMatchObject({
      'AnswerRecorded level': expect.any(Number),
      'AnswerRecorded dontKnow': expect.any(Number),
      'AnswerRevised level': expect.any(Number),
      'AnswerRevised dontKnow': expect.any(Number),
    });
    expect(seen.roundingSteps).toBeGreaterThan(1000);
    expect(seen.cutOffDecimals).toBeGreaterThan(1000);
    // 4 assessments × 2 scores × (12 or 13 factors × 3 layers with their questions, spreads, overall), twice.
    expect(linesChecked).toBeGreaterThan(4 * 2 * 12 * 3 * 3 * 2);
  });
});

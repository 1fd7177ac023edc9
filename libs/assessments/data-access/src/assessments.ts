import { sql, type Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { Forbidden, NotFound, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { readAssessmentStream } from './assessment-stream';
import { foldEvents, handleCommand, handleCommands, uuidv7, verifyEventStore, WrongExpectedVersion, type PostgresEventStore, type StoredEvent } from '@maatlat/shared/event-store';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import type { Chains, Organisations } from '@maatlat/organisations/data-access';
import type { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import {
  answeredQuestions,
  answersOf,
  assessmentDecider,
  latestScoreOf,
  mapAnswers,
  assessmentStreamId,
  CURRENT_SCORING_ALGORITHM,
  scoreWith,
  type AnswerValue,
  type AssessmentEvent,
  type AssessmentCommand,
  type AssessmentScope,
  type AssessmentState,
  type EvidenceReference,
  type RecordedAssessmentEvent,
  type ScoreResult,
} from '@maatlat/assessments/domain';

type Existing = Extract<AssessmentState, { status: 'open' | 'closed' }>;

/** The score of an assessment's latest score event (calculated or recalculated), found from the stream's end. */
const latestScoreEvent = (assessmentId: string) => sql<{ score: ScoreResult }>`
  SELECT data -> 'score' AS score FROM events
   WHERE stream_id = ${assessmentStreamId(assessmentId)} AND type IN ('ScoreCalculated', 'ScoreRecalculated')
   ORDER BY version DESC LIMIT 1`;

export interface ScoreDifference {
  scoreEvent: number;
  path: string;
  recorded: unknown;
  replayed: unknown;
}

/** Finds where two scores differ, as JSON paths: empty when they are the same. */
function differences(recorded: unknown, replayed: unknown, path = '$'): { path: string; recorded: unknown; replayed: unknown }[] {
  if (typeof recorded !== 'object' || recorded === null || typeof replayed !== 'object' || replayed === null) {
    return Object.is(recorded, replayed) ? [] : [{ path, recorded, replayed }];
  }
  const keys = new Set([...Object.keys(recorded), ...Object.keys(replayed)]);
  return [...keys].flatMap((key) => differences((recorded as Record<string, unknown>)[key], (replayed as Record<string, unknown>)[key], Array.isArray(recorded) ? `${path}[${key}]` : `${path}.${key}`));
}

/** The assessment use cases: lifecycle, scores, explanation, "as of", timeline and replay verification. */
export class Assessments {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly store: PostgresEventStore,
    private readonly catalogue: ModelCatalogue,
    private readonly organisations: Organisations,
    private readonly chains: Chains,
    private readonly respondents: Respondents,
    private readonly vault: PersonalDataVault,
  ) {}

  async open(
    input: { organisationId: string; scope: AssessmentScope; period: string; model: { key: string; version: string }; layers: LayerId[] },
    metadata: CommandMetadata,
  ) {
    const organisation = await this.organisations.get(input.organisationId);
    if (input.scope.kind === 'unit') {
      if (input.scope.organisationId !== input.organisationId) throw new ValidationFailed([{ field: 'scope.organisationId', problem: 'must be the assessment\'s organisation' }]);
      const unit = organisation.units.find((u) => u.unitId === (input.scope as { unitId: string }).unitId);
      if (!unit || unit.closed) throw new NotFound('unit', input.scope.unitId);
    } else if (input.scope.kind === 'chain') {
      const chain = await this.chains.get(input.scope.chainId);
      if (!chain.members.some((m) => m.organisationId === input.organisationId)) throw new Forbidden('the organisation takes no part in this chain');
    }
    const version = await this.catalogue.get(input.model.key, input.model.version);
    const assessmentId = uuidv7(metadata.now.getTime());
    const state = await this.run(assessmentId, input.organisationId, {
      type: 'OpenAssessment',
      data: {
        assessmentId,
        organisationId: input.organisationId,
        scope: input.scope,
        period: input.period,
        model: {
          key: version.key,
          version: version.version,
          contentHash: version.contentHash ?? '',
          status: version.status,
          questionIds: version.document.factors.flatMap((f) => f.questions.map((q) => q.id)),
          layers: version.document.layers.map((l) => l.id),
        },
        layers: input.layers,
      },
      metadata,
    });
    return this.summary(state.state, state.version);
  }

  async invite(assessmentId: string, respondentId: string, layer: LayerId, metadata: CommandMetadata) {
    const organisationId = await this.organisationOf(assessmentId);
    await this.respondents.get(organisationId, respondentId);
    const result = await this.run(assessmentId, organisationId, { type: 'InviteToAssessment', data: { respondentId, layer }, metadata });
    return this.summary(result.state, result.version);
  }

  async recordAnswer(
    assessmentId: string,
    respondentId: string,
    input: { questionId: string; answer: AnswerValue; justification?: string; evidence?: EvidenceReference[] },
    metadata: CommandMetadata,
    expectedVersion?: number,
  ) {
    const organisationId = await this.organisationOf(assessmentId);
    const justification = input.justification ? await this.vault.seal(respondentId, { justification: input.justification }) : null;
    const result = await this.run(
      assessmentId,
      organisationId,
      { type: 'RecordAnswer', data: { respondentId, questionId: input.questionId, answer: input.answer, justification, evidence: input.evidence ?? [] }, metadata },
      expectedVersion,
    );
    return { assessmentId, version: result.version, questionId: input.questionId, answer: input.answer };
  }

  /** A respondent's answers in one go (all or nothing), optionally submitting the response too. */
  async recordAnswers(
    assessmentId: string,
    respondentId: string,
    answers: { questionId: string; answer: AnswerValue; evidence?: EvidenceReference[] }[],
    metadata: CommandMetadata,
    options: { submit?: boolean } = {},
  ) {
    const organisationId = await this.organisationOf(assessmentId);
    const commands: AssessmentCommand[] = answers.map((a) => ({
      type: 'RecordAnswer',
      data: { respondentId, questionId: a.questionId, answer: a.answer, justification: null, evidence: a.evidence ?? [] },
      metadata: { ...metadata, tenantId: organisationId },
    }));
    if (options.submit) commands.push({ type: 'SubmitResponse', data: { respondentId }, metadata: { ...metadata, tenantId: organisationId } });
    const outcome = await handleCommands(this.store, assessmentDecider, assessmentStreamId(assessmentId), commands);
    return { assessmentId, version: outcome.result?.nextExpectedVersion ?? 0, recorded: answers.length };
  }

  async submit(assessmentId: string, respondentId: string, metadata: CommandMetadata) {
    const organisationId = await this.organisationOf(assessmentId);
    const result = await this.run(assessmentId, organisationId, { type: 'SubmitResponse', data: { respondentId }, metadata });
    return this.summary(result.state, result.version);
  }

  /** Closes and scores in one append; a concurrent answer makes it start over, so none is missed. */
  async close(assessmentId: string, metadata: CommandMetadata) {
    for (let attempt = 1; ; attempt++) {
      const { state, events, stored } = await this.load(assessmentId);
      const model = await this.catalogue.get(state.model.key, state.model.version);
      const version = events.length;
      const score = scoreWith(CURRENT_SCORING_ALGORITHM, model.document, state.model.contentHash, answersOf(events));
      try {
        const result = await this.run(assessmentId, state.organisationId, { type: 'CloseAssessment', data: { score, answersUpToVersion: version }, metadata }, version, stored);
        return { ...this.summary(result.state, result.version), score };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) || attempt >= 3) throw error;
      }
    }
  }

  /** The assessment's organisation, for access checks before anything else is read: the first event says. */
  async organisationOf(assessmentId: string): Promise<string> {
    const [opened] = await this.store.readStream(assessmentStreamId(assessmentId), { toVersion: 1 });
    if (!opened || opened.type !== 'AssessmentOpened') throw new NotFound('assessment', assessmentId);
    return (opened.data as { organisationId: string }).organisationId;
  }

  /** The assessment and its latest score, now or as they stood at `asOf`. */
  async get(assessmentId: string, asOf?: Date) {
    // Neither the summary nor the score cites events, so their hashes are not read.
    const stored = await this.store.readStream(assessmentStreamId(assessmentId), { asOf });
    const state = this.fold(assessmentId, stored);
    const score = latestScoreOf(stored.map((e) => ({ event: { type: e.type, data: e.data } as AssessmentEvent })));
    return { ...this.summary(state, stored.length), asOf: asOf?.toISOString() ?? null, score };
  }

  /** The latest score, read from the end of the stream: the cost does not grow with the answers. */
  async scores(assessmentId: string): Promise<ScoreResult> {
    const { rows } = await sql<{ score: ScoreResult }>`SELECT latest.score FROM (${latestScoreEvent(assessmentId)}) AS latest`.execute(this.db);
    if (!rows[0]) throw new NotFound('score', assessmentId);
    return rows[0].score;
  }

  /**
   * The latest score cut down to one factor and its questions, cut by PostgreSQL: a score cites
   * every answer event, so the whole can run to megabytes while one factor's part is a few percent.
   */
  private async scoreOfFactor(assessmentId: string, factorId: string): Promise<ScoreResult> {
    const { rows } = await sql<{ score: ScoreResult | null }>`
      SELECT CASE WHEN latest.score IS NOT NULL THEN jsonb_build_object(
               'algorithm', latest.score -> 'algorithm',
               'model', latest.score -> 'model',
               'factors', jsonb_path_query_array(latest.score, '$.factors[*] ? (@.factorId == $id)', vars.v),
               'questions', jsonb_path_query_array(latest.score, '$.questions[*] ? (@.questionId == $ids[*])',
                 jsonb_build_object('ids', jsonb_path_query_array(latest.score, '$.factors[*] ? (@.factorId == $id).byLayer.*.terms[*].id', vars.v))))
             END AS score
        FROM (SELECT jsonb_build_object('id', ${factorId}::text) AS v) AS vars
        LEFT JOIN LATERAL (${latestScoreEvent(assessmentId)}) AS latest ON true`.execute(this.db);
    const score = rows[0]?.score;
    if (!score) throw new NotFound('score', assessmentId);
    return score;
  }

  /**
   * How a score was reached: for the overall score or one factor, the layers, the questions and
   * the individual answer events (by stream version and hash), with the arithmetic as text.
   */
  async explain(assessmentId: string, factorId?: string) {
    const score = factorId ? await this.scoreOfFactor(assessmentId, factorId) : await this.scores(assessmentId);
    const describe = (terms: { id: string; weight: number; value: number }[]) =>
      `(${terms.map((t) => `${t.weight} × ${t.value}`).join(' + ')}) / ${terms.reduce((s, t) => s + t.weight, 0)}`;
    const factorTree = (f: ScoreResult['factors'][number]) => ({
      factorId: f.factorId,
      score: f.score,
      stage: f.stage,
      spread: f.spread,
      arithmetic: f.derivation ? `${describe(f.derivation.terms)} = ${f.score}` : 'no answers',
      layers: Object.entries(f.byLayer).map(([layer, derived]) => ({
        layer,
        score: derived!.value,
        arithmetic: `${describe(derived!.terms)} = ${derived!.value}`,
        questions: derived!.terms.map((t) => {
          const q = score.questions.find((x) => x.questionId === t.id && x.layer === layer)!;
          return { questionId: t.id, weight: t.weight, mean: q.mean, answered: q.answered, dontKnow: q.dontKnow, coverage: q.coverage, answers: q.sources };
        }),
      })),
    });
    const base = { assessmentId, algorithm: score.algorithm, model: score.model };
    if (factorId) {
      const factor = score.factors.find((f) => f.factorId === factorId);
      if (!factor) throw new NotFound('factor', factorId);
      return { ...base, ...factorTree(factor) };
    }
    return {
      ...base,
      overall: score.overall.score,
      stage: score.overall.stage,
      arithmetic: score.overall.derivation ? `${describe(score.overall.derivation.terms)} = ${score.overall.score}` : 'no answers',
      factors: score.factors.map(factorTree),
    };
  }

  /** The audit timeline: who (pseudonymous), what, when and why. Justifications stay sealed. */
  async timeline(assessmentId: string) {
    const events = await this.store.readStream(assessmentStreamId(assessmentId));
    this.fold(assessmentId, events); // 404 when there is no such assessment
    return events.map((e) => ({
      version: e.version,
      type: e.type,
      recordedAt: e.recordedAt.toISOString(),
      actor: e.metadata.actor,
      reason: e.metadata.reason ?? null,
      correlationId: e.metadata.correlationId,
      ...(e.type === 'AnswerRecorded' || e.type === 'AnswerRevised'
        ? { questionId: (e.data as { questionId: string }).questionId, answer: (e.data as { answer: AnswerValue }).answer }
        : {}),
    }));
  }

  /** Replays every recorded score with its own algorithm and the pinned model; checks the hash chain. */
  async verify(assessmentId: string) {
    const { state, events } = await this.load(assessmentId);
    const model = await this.catalogue.get(state.model.key, state.model.version);
    const found: ScoreDifference[] = [];
    let checked = 0;
    for (const recorded of events) {
      const event = recorded.event;
      if (event.type !== 'ScoreCalculated' && event.type !== 'ScoreRecalculated') continue;
      checked += 1;
      const { score, answersUpToVersion } = event.data;
      // A recalculation replays with the model version it scored against and the mapping it recorded.
      const scoredWith = score.model.version === model.version ? model : await this.catalogue.get(score.model.key, score.model.version);
      const answers = answersOf(events, answersUpToVersion);
      const replayed = scoreWith(score.algorithm, scoredWith.document, score.model.contentHash, event.type === 'ScoreRecalculated' ? mapAnswers(answers, event.data.mapping) : answers);
      for (const d of differences(score, replayed)) found.push({ scoreEvent: recorded.version, ...d });
    }
    const chain = await verifyEventStore(this.db, { streamId: assessmentStreamId(assessmentId) });
    const ok = found.length === 0 && chain.ok;
    return { assessmentId, status: ok ? 'verified' : 'differences', scoresChecked: checked, differences: found, hashChain: chain };
  }

  private summary(state: Existing, version: number) {
    return {
      assessmentId: state.assessmentId,
      organisationId: state.organisationId,
      status: state.status,
      version,
      model: state.model,
      layers: state.layers,
      invitees: Object.entries(state.invitees).map(([respondentId, i]) => ({ respondentId, layer: i.layer, submitted: i.submitted })),
      answers: answeredQuestions(state),
    };
  }

  /** The stream with each event's hash, folded; 404 when there is no such assessment (then). */
  private async load(assessmentId: string, asOf?: Date): Promise<{ state: Existing; events: RecordedAssessmentEvent[]; stored: StoredEvent[] }> {
    const { stored, events } = await readAssessmentStream(this.store, assessmentId, asOf);
    return { state: this.fold(assessmentId, stored), events, stored };
  }

  private fold(assessmentId: string, stored: readonly StoredEvent[]): Existing {
    const state = foldEvents(assessmentDecider, stored) as AssessmentState;
    if (state.status === 'none') throw new NotFound('assessment', assessmentId);
    return state;
  }

  /** `history`: the stream as just read, when the caller has it, so it is not read again. */
  private async run(assessmentId: string, organisationId: string, command: AssessmentCommand, expectedVersion?: number, history?: readonly StoredEvent[]) {
    const outcome = await handleCommand(
      this.store,
      assessmentDecider,
      assessmentStreamId(assessmentId),
      { ...command, metadata: { ...command.metadata, tenantId: organisationId } } as AssessmentCommand,
      { expectedVersion, history },
    );
    const version = outcome.result?.nextExpectedVersion ?? (await this.store.streamVersion(assessmentStreamId(assessmentId)));
    return { state: outcome.state as Existing, version };
  }
}

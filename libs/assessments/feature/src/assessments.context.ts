import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { CommandMetadata } from '@maatlat/shared/domain';
import { handleCommand, type FoldedStreams, type PostgresEventStore, type RecordedEvent } from '@maatlat/shared/event-store';
import type { ModelCatalogue } from '@maatlat/model-catalogue/data-access';
import type { Chains, Organisations } from '@maatlat/organisations/data-access';
import type { PersonalDataVault, Respondents } from '@maatlat/respondents/data-access';
import type { AssessmentRepository, ExistingAssessment, RecalculationRepository } from '@maatlat/assessments/data-access';
import { answeredQuestions, assessmentDecider, assessmentStreamId, type AssessmentCommand, type AssessmentEvent, type AssessmentState } from '@maatlat/assessments/domain';

/** What the assessment use cases stand on: the store, their repositories, and other scopes' public services. */
export interface AssessmentsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  /** Assessment streams folded in this process: a decision reads only the events since (see FoldedStreams). */
  folded: FoldedStreams<AssessmentState, AssessmentEvent>;
  assessments: AssessmentRepository;
  recalculations: RecalculationRepository;
  catalogue: ModelCatalogue;
  organisations: Organisations;
  chains: Chains;
  respondents: Respondents;
  vault: PersonalDataVault;
}

/** The assessment as a client sees it after a change: camelCase, no personal data. */
export interface AssessmentSummary {
  assessmentId: string;
  organisationId: string;
  status: 'open' | 'closed';
  /** The stream version: the ETag a client sends back as If-Match. */
  version: number;
  model: ExistingAssessment['model'];
  layers: ExistingAssessment['layers'];
  invitees: { respondentId: string; layer: string; submitted: boolean }[];
  answers: number;
}

export function summaryOf(state: ExistingAssessment, version: number): AssessmentSummary {
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

/**
 * Decides and appends one command on an assessment stream, within its organisation (every event
 * records the tenant). `history`: the stream as just read, when the caller has it.
 */
export async function runAssessmentCommand(
  context: Pick<AssessmentsContext, 'store'>,
  assessmentId: string,
  organisationId: string,
  command: AssessmentCommand,
  options: { expectedVersion?: number; history?: readonly RecordedEvent<AssessmentEvent>[]; folded?: FoldedStreams<AssessmentState, AssessmentEvent>; maxAttempts?: number } = {},
): Promise<{ state: ExistingAssessment; version: number }> {
  const streamId = assessmentStreamId(assessmentId);
  const withTenant = { ...command, metadata: { ...command.metadata, tenantId: organisationId } satisfies CommandMetadata } as AssessmentCommand;
  const outcome = await handleCommand(context.store, assessmentDecider, streamId, withTenant, options);
  const version = outcome.result?.nextExpectedVersion ?? (await context.store.streamVersion(streamId));
  return { state: outcome.state as ExistingAssessment, version };
}

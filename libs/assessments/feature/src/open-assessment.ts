import { Forbidden, NotFound, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { newEntityId } from '@maatlat/shared/event-store';
import type { LayerId } from '@maatlat/model-catalogue/domain';
import type { AssessmentScope } from '@maatlat/assessments/domain';
import { runAssessmentCommand, summaryOf, type AssessmentsContext, type AssessmentSummary } from './assessments.context';

export interface OpenAssessmentInput {
  organisationId: string;
  scope: AssessmentScope;
  period: string;
  model: { key: string; version: string };
  layers: LayerId[];
}

/**
 * Opens an assessment of a unit, the organisation or a chain it takes part in, pinned for its life
 * to a published model version (the decider refuses a draft or retired one).
 */
export async function openAssessment(context: AssessmentsContext, input: OpenAssessmentInput, metadata: CommandMetadata): Promise<AssessmentSummary> {
  const organisation = await context.organisations.get(input.organisationId);
  if (input.scope.kind === 'unit') {
    if (input.scope.organisationId !== input.organisationId) throw new ValidationFailed([{ field: 'scope.organisationId', problem: "must be the assessment's organisation" }]);
    const unitId = input.scope.unitId;
    const unit = organisation.units.find((u) => u.unitId === unitId);
    if (!unit || unit.closed) throw new NotFound('unit', unitId);
  } else if (input.scope.kind === 'chain') {
    const chain = await context.chains.get(input.scope.chainId);
    if (!chain.members.some((m) => m.organisationId === input.organisationId)) throw new Forbidden('the organisation takes no part in this chain');
  }
  const version = await context.catalogue.get(input.model.key, input.model.version);
  // With an Idempotency-Key, a retried open names the assessment the first one opened.
  const assessmentId = newEntityId('assessment', metadata);
  const { state, version: streamVersion } = await runAssessmentCommand(context, assessmentId, input.organisationId, {
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
  return summaryOf(state, streamVersion);
}

import type { OrganisationAssessment } from '@maatlat/assessments/data-access';
import type { AssessmentsContext } from './assessments.context';

/**
 * An organisation's assessments from the assessments read model, newest period first: status,
 * scope kind, period, model version, when opened and closed, and the latest overall score and
 * stage of a closed one. 404 for an organisation that does not exist.
 */
export async function listOrganisationAssessments(context: AssessmentsContext, organisationId: string): Promise<OrganisationAssessment[]> {
  const assessments = await context.assessments.ofOrganisation(organisationId);
  // Only an empty list needs telling apart from an organisation that does not exist.
  if (assessments.length === 0) await context.organisations.get(organisationId);
  return assessments;
}

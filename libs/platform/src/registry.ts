import { streamIndexProjection, type Projection } from '@maatlat/shared/event-store';
import { modelVersionsProjection } from '@maatlat/model-catalogue/data-access';
import { chainsProjection, organisationsProjection } from '@maatlat/organisations/data-access';
import { respondentsProjection } from '@maatlat/respondents/data-access';
import { assessmentsProjection } from '@maatlat/assessments/data-access';

/** Every projection the platform keeps; the worker runs them and `cli rebuild NAME` rebuilds one. */
export const PLATFORM_PROJECTIONS: readonly Projection[] = [streamIndexProjection, modelVersionsProjection, organisationsProjection, chainsProjection, respondentsProjection, assessmentsProjection];

export function findProjection(name: string): Projection | undefined {
  return PLATFORM_PROJECTIONS.find((p) => p.name === name);
}

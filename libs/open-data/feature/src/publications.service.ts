import { Forbidden, NotFound, ValidationFailed, type CommandMetadata } from '@maatlat/shared/domain';
import { assertActsFor, type Principal } from '@maatlat/access';
import { AssessmentRepository } from '@maatlat/assessments/data-access';
import { OpenData, type PublicationRecord, type PublicationView } from '@maatlat/open-data/data-access';

/**
 * Woo over HTTP: a coordinator publishes or withdraws an assessment's results (each a new dataset
 * version), and anyone reads the dataset's versions, by number or content id.
 */
export class Publications {
  constructor(
    readonly openData: OpenData,
    private readonly assessments: AssessmentRepository,
  ) {}

  async publish(principal: Principal, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<PublicationView> {
    return this.openData.publish(await this.organisationFor(principal, assessmentId), assessmentId, metadata, expectedVersion);
  }

  async withdraw(principal: Principal, assessmentId: string, metadata: CommandMetadata, expectedVersion?: number): Promise<PublicationView> {
    return this.openData.withdraw(await this.organisationFor(principal, assessmentId), assessmentId, metadata, expectedVersion);
  }

  async publication(principal: Principal, assessmentId: string): Promise<PublicationRecord> {
    return this.openData.publication(await this.organisationFor(principal, assessmentId), assessmentId);
  }

  private async organisationFor(principal: Principal, assessmentId: string): Promise<string> {
    try {
      const organisationId = await this.assessments.organisationOf(assessmentId);
      assertActsFor(principal, organisationId);
      return organisationId;
    } catch (error) {
      // An unknown assessment and another organisation's look the same from outside.
      if (error instanceof NotFound || error instanceof Forbidden) throw new Forbidden("this assessment is not one of the caller's organisations");
      throw error;
    }
  }
}

/** A dataset version as a path names it: its number, or its content id (a SHA-256, hex). */
export function parseDatasetVersion(value: string): number | string {
  if (/^[1-9]\d{0,9}$/.test(value)) return Number(value);
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  throw new ValidationFailed([{ field: 'version', problem: 'must be a version number (1, 2, ...) or a content id (64 hex digits)' }]);
}

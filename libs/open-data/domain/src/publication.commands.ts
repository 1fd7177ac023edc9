import type { CommandMetadata } from '@maatlat/shared/domain';

/** A coordinator's publication of an assessment's results (`scored`: whether it has a score to publish), and its withdrawal. */
export type PublicationCommand =
  | { type: 'PublishResults'; data: { assessmentId: string; organisationId: string; scored: boolean }; metadata: CommandMetadata }
  | { type: 'WithdrawResults'; data: { assessmentId: string; organisationId: string }; metadata: CommandMetadata };


import type { CommandMetadata } from '@maatlat/shared/domain';
import type { SealedPersonalData } from './respondent.events';

export type RespondentCommand =
  | { type: 'RegisterRespondent'; data: { respondentId: string; organisationId: string; personal: SealedPersonalData }; metadata: CommandMetadata }
  | { type: 'ChangeRespondentPersonalData'; data: { personal: SealedPersonalData }; metadata: CommandMetadata }
  | { type: 'InviteRespondent'; data: { invitationId: string; assessmentId: string; layer: 'strategic' | 'tactical' | 'operational'; expiresAt: string; issuedAt?: string }; metadata: CommandMetadata }
  | { type: 'RevokeInvitation'; data: { invitationId: string }; metadata: CommandMetadata }
  | { type: 'EraseRespondent'; data: Record<string, never>; metadata: CommandMetadata };

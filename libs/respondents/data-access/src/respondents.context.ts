import type { Kysely } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import type { FoldedStreams, PostgresEventStore } from '@maatlat/shared/event-store';
import type { PersonalData, RespondentEvent, RespondentState } from '@maatlat/respondents/domain';
import type { Organisations } from '@maatlat/organisations/data-access';
import type { AssessmentRepository } from '@maatlat/assessments/data-access';
import type { PersonalDataVault } from './personal-data-vault';

/** What the respondent use cases stand on, and the organisations and assessments their commands name. */
export interface RespondentsContext {
  db: Kysely<DB>;
  store: PostgresEventStore;
  vault: PersonalDataVault;
  organisations: Organisations;
  assessments: AssessmentRepository;
  /** Respondents' streams as this process last folded them, for invitation checks (check-invitation.ts). */
  invitationStates: FoldedStreams<RespondentState, RespondentEvent>;
}

export interface RespondentView {
  respondentId: string;
  organisationId: string;
  status: 'active' | 'erased';
  /** Null once erased: the key is gone, the data unreadable. */
  personal: PersonalData | null;
  /** The stream version: the ETag a client sends back as If-Match. */
  revision: number;
}

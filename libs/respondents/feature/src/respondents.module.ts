import { Module } from '@nestjs/common';
import { INVITATION_CHECK, type InvitationCheck } from '@maatlat/access';
import { Respondents } from '@maatlat/respondents/data-access';
import { RespondentsController } from './respondents.controller';

/**
 * Respondents over HTTP; services from the manifest. The access guard asks INVITATION_CHECK about
 * every invitation token: respondents know which were revoked and who was erased.
 */
@Module({
  controllers: [RespondentsController],
  providers: [
    {
      provide: INVITATION_CHECK,
      inject: [Respondents],
      useFactory: (respondents: Respondents): InvitationCheck => ({
        refusalOf: (claim) => respondents.invitationRefusal(claim),
        verdictOf: (claim, options) => respondents.invitationVerdict(claim, options),
      }),
    },
  ],
})
export class RespondentsModule {}

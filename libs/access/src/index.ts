export { AccessModule } from './access.module';
export { AccessGuard, Roles, CurrentPrincipal, FAILED_AUTH_LIMIT, type RequestWithPrincipal } from './access.guard';
export { RateLimiter } from './rate-limiter';
export { Public } from '@maatlat/shared/nest';
export { TokenVerifier, TokenRejected, mintLocalToken, mintInvitationToken } from './token-verifier';
export { ROLES, hasRole, assertActsFor, type Principal, type Role } from './principal';
export { CommandMeta, PlatformCommandMeta } from './command-meta';
export { IdempotencyInterceptor, IdempotencyKeyCleanup, RerunOnReplay, REPLAYED_HEADER } from './idempotency';
export { INVITATION_CHECK, InvitationHeldByWrite, InvitationHeld, InvitationHoldRenewal, type InvitationCheck, type InvitationClaimed, type InvitationVerdict, type InvitationHold } from './invitation-check';

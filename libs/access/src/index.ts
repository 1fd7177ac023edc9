export { AccessModule } from './access.module';
export { AccessGuard, Roles, CurrentPrincipal, type RequestWithPrincipal } from './access.guard';
export { Public } from '@maatlat/shared/nest';
export { TokenVerifier, TokenRejected, mintLocalToken } from './token-verifier';
export { ROLES, hasRole, assertActsFor, type Principal, type Role } from './principal';

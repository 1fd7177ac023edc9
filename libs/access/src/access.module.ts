import { Global, Inject, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { AccessGuard } from './access.guard';
import { RateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

/** Authentication and roles for the whole API: import it once, in the composition root. */
@Global()
@Module({
  providers: [
    { provide: TokenVerifier, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TokenVerifier(config.auth) },
    RateLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenVerifier, RateLimiter],
})
export class AccessModule {
  constructor(@Inject(TokenVerifier) readonly verifier: TokenVerifier) {}
}

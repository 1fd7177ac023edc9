import { Global, Inject, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '@maatlat/shared/config';
import { APP_CONFIG } from '@maatlat/shared/tokens';
import { AccessGuard } from './access.guard';
import { IdempotencyInterceptor, IdempotencyKeyCleanup } from './idempotency';
import { RateLimiter } from './rate-limiter';
import { TokenVerifier } from './token-verifier';

/**
 * Authentication, roles and Idempotency-Key for the whole API: import it once, in the composition
 * root, which installs the IdempotencyInterceptor (inside the ETag interceptor, so replays carry ETags too).
 */
@Global()
@Module({
  providers: [
    { provide: TokenVerifier, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TokenVerifier(config.auth) },
    RateLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
    IdempotencyInterceptor,
    IdempotencyKeyCleanup,
  ],
  exports: [TokenVerifier, RateLimiter, IdempotencyInterceptor, IdempotencyKeyCleanup],
})
export class AccessModule {
  constructor(@Inject(TokenVerifier) readonly verifier: TokenVerifier) {}
}

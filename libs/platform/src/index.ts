export { PlatformModule } from './platform.module';
export { HealthModule } from './health.module';
export { WorkerRuntime } from './worker-runtime';
export { VerifyStreamJob } from './verify-stream.job';
export { PLATFORM_PROJECTIONS, findProjection } from './registry';
export { APP_CONFIG, DATABASE, REDIS, JOB_QUEUE } from './tokens';
export { RecalculateAssessmentJob } from './recalculate-assessment.job';

export { seedDemo, type SeedSummary } from './seed-demo';

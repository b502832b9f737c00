/** Statistics: de-identified facts, published tables, trends and publications. */
export { withFacts } from './facts.ts';
export { STATISTICS_WARM_JOB, warmStatistics } from './warm.ts';

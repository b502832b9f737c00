/** Statistics: de-identified facts, published tables, trends and publications. */
export { withFacts } from './facts.ts';

/** Identification decisions: their deadlines, deciding, panels and reconsideration. */
export { decide, decisionsForCases } from './service.ts';

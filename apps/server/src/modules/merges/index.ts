/** Merging two cases of the same child, and undoing it exactly. */
export { mergesOf } from './service.ts';

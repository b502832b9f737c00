/** Requests one person makes and a second decides: the lifecycle privileged changes and IPP 6 exports share. */
export { decideRequest, expireDue, type TwoPersonRules } from './service.ts';
export type { RequestRow } from './queries.ts';

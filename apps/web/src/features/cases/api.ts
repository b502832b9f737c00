import {
  type addTeamOrganisationInput,
  type AssignableTeamRole,
  breakGlassByReferenceGranted,
  breakGlassGranted,
  caseDetail,
  casesMerged,
  caseSummary,
  type CHILD_CONSULTED,
  type ClosureReason,
  type conferenceInput,
  created,
  type DecisionOutcome,
  ok,
  pageOf,
  person,
  referralDetail,
  reconsiderationRequested,
  teamCandidate,
} from '@tiaki/domain';
import type { z } from 'zod';
import { api, listOf, query } from '../../api/client.ts';

export type ChildConsulted = (typeof CHILD_CONSULTED)[number];

const casePath = (id: string) => `/api/cases/${encodeURIComponent(id)}`;
const decisionPath = (id: string) => `/api/decisions/${encodeURIComponent(id)}`;

/** Request bodies are the domain's own schemas: the server validates exactly these. */
export type TeamOrganisationBody = z.input<typeof addTeamOrganisationInput>;

export type ConferenceBody = z.input<typeof conferenceInput>;

/** Kinds of work colleagues can be chosen for. */
export type ColleagueWork = 'referrals.triage' | 'decisions.make' | 'cases.manage' | 'cases.read';

export const casesApi = {
  /** People of my organisation who can do a kind of work, to assign it to them. */
  colleagues: (permission: ColleagueWork) =>
    api.get(`/api/colleagues${query({ permission })}`, listOf('people', person)),
  /** People of the team's organisations who can join the case team or a panel. */
  teamCandidates: (id: string) => api.get(`${casePath(id)}/team/candidates`, listOf('people', teamCandidate)),
  addMember: (id: string, userId: string, teamRole: AssignableTeamRole) =>
    api.post(`${casePath(id)}/team/members`, ok, { userId, teamRole }),
  /** By reference, with the child's date of birth or family name (a reference alone is guessable). */
  breakGlassByReference: (body: {
    caseReference: string;
    reason: string;
    dateOfBirth?: string;
    familyName?: string;
  }) => api.post('/api/break-glass', breakGlassByReferenceGranted, body),
  /** One page of the cases I may see, sorted and filtered by the server. */
  list: (params: Record<string, string | number | undefined>) =>
    api.get(`/api/cases${query(params)}`, pageOf(caseSummary)),
  /** The whole case with the child's identity: every read is audited. */
  read: (id: string) => api.get(casePath(id), caseDetail),
  /** Every referral on the case in full, the child's identity included: every read is audited. */
  referrals: (id: string) => api.get(`${casePath(id)}/referrals`, listOf('referrals', referralDetail)),
  addOrganisation: (id: string, body: TeamOrganisationBody) =>
    api.post(`${casePath(id)}/team/organisations`, ok, body),
  removeOrganisation: (id: string, organisationId: string) =>
    api.delete(`${casePath(id)}/team/organisations/${encodeURIComponent(organisationId)}`, ok),
  addGoal: (id: string, body: { description: string; dueOn?: string }) =>
    api.post(`${casePath(id)}/goals`, created, body),
  updateGoal: (id: string, goalId: string, status: 'open' | 'achieved' | 'discontinued', version: number) =>
    api.patch(`${casePath(id)}/goals/${encodeURIComponent(goalId)}`, ok, { status, version }),
  addNote: (id: string, body: string) => api.post(`${casePath(id)}/notes`, created, { body }),
  recordConference: (id: string, body: ConferenceBody) =>
    api.post(`${casePath(id)}/conferences`, created, body),
  updateAction: (id: string, actionId: string, status: 'open' | 'done', version: number) =>
    api.patch(`${casePath(id)}/actions/${encodeURIComponent(actionId)}`, ok, { status, version }),
  close: (id: string, body: { reason: ClosureReason; detail?: string; version: number }) =>
    api.post(`${casePath(id)}/close`, ok, body),
  reopen: (id: string, body: { reason: string; version: number }) =>
    api.post(`${casePath(id)}/reopen`, ok, body),
  /** Merges the other case into this one: it closes, and nothing is deleted. */
  merge: (id: string, body: { otherCaseId: string; reason: string; version: number }) =>
    api.post(`${casePath(id)}/merge`, casesMerged, body),
  /** Reverses a merge exactly: the merged case reopens with its own referrals and child records. */
  unmerge: (mergeId: string, reason: string) =>
    api.post(`/api/case-merges/${encodeURIComponent(mergeId)}/unmerge`, ok, { reason }),
  breakGlass: (id: string, reason: string) =>
    api.post(`${casePath(id)}/break-glass`, breakGlassGranted, { reason }),
  decide: (
    id: string,
    body: { outcome: DecisionOutcome; rationale: string; evidence: string; version: number },
  ) => api.post(`${decisionPath(id)}/decide`, ok, body),
  assign: (id: string, assigneeId: string | null, version: number) =>
    api.post(`${decisionPath(id)}/assign`, ok, { assigneeId, version }),
  convenePanel: (id: string, memberIds: string[], version: number) =>
    api.post(`${decisionPath(id)}/panel`, ok, { memberIds, version }),
  recordView: (id: string, view: DecisionOutcome, comment: string) =>
    api.post(`${decisionPath(id)}/views`, ok, { view, comment }),
  reconsider: (id: string, grounds: string) =>
    api.post(`${decisionPath(id)}/reconsideration`, reconsiderationRequested, { grounds }),
};

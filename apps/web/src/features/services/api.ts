import {
  needsCheckResult,
  note,
  pageOf,
  service,
  serviceReferral,
  unmetNeed,
  type NeedType,
  type ServiceCapacity,
  type ServiceQuery,
  type ServiceReferralListQuery,
  type ServiceReferralStatus,
  type ServiceUrgency,
  type ShareableField,
  type DeclineReason,
} from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';
import type { ChildConsulted } from '../cases/api.ts';

const servicePath = (id: string) => `/api/services/${encodeURIComponent(id)}`;
const referralPath = (id: string) => `/api/service-referrals/${encodeURIComponent(id)}`;

export interface ServiceBody {
  providerOrganisationId: string;
  name: string;
  description: string;
  needTypes: NeedType[];
  regions: string[];
  minAge: number;
  maxAge: number;
  capacity: ServiceCapacity;
  contact: string;
}

export interface ServiceReferralBody {
  serviceId: string;
  needType: NeedType;
  sharedFields: ShareableField[];
  lawfulBasis: string;
  purpose: string;
  childConsulted: ChildConsulted;
  childView?: string;
  needsSummary?: string;
  respondBy?: string;
  urgency: ServiceUrgency;
  send: boolean;
}

export interface TransitionBody {
  to: ServiceReferralStatus;
  declineReason?: DeclineReason;
  detail?: string;
  version: number;
}

export const servicesApi = {
  list: (filter: ServiceQuery = {}) =>
    api.get(`/api/services${query({ ...filter })}`, listOf('services', service)),
  create: (body: ServiceBody) => api.post('/api/services', service, body),
  update: (id: string, body: Partial<ServiceBody> & { isActive?: boolean; version: number }) =>
    api.put(servicePath(id), service, body),
  checkNeeds: (caseId: string, needType: NeedType) =>
    api.post(`/api/cases/${encodeURIComponent(caseId)}/needs`, needsCheckResult, { needType }),
  /** A caseworker says no service could meet a need (looking in the directory records nothing). */
  recordUnmetNeed: (caseId: string, body: { needType: NeedType; note: string }) =>
    api.post(`/api/cases/${encodeURIComponent(caseId)}/unmet-needs`, unmetNeed, body),
  refer: (caseId: string, body: ServiceReferralBody) =>
    api.post(`/api/cases/${encodeURIComponent(caseId)}/service-referrals`, serviceReferral, body),
  /** A page of service referrals (the provider's inbox), sorted and filtered by the server. */
  referrals: (params: Record<string, string | number | undefined> & Partial<ServiceReferralListQuery>) =>
    api.get(`/api/service-referrals${query({ ...params })}`, pageOf(serviceReferral)),
  referral: (id: string) => api.get(referralPath(id), serviceReferral),
  transition: (id: string, body: TransitionBody) =>
    api.post(`${referralPath(id)}/transition`, serviceReferral, body),
  addNote: (id: string, body: string) => api.post(`${referralPath(id)}/notes`, note, { body }),
};

import {
  created,
  dataQualityReport,
  iwiAccess,
  iwiAnnexes,
  iwiGrants,
  iwiReport,
  learntModel,
  matchingModelView,
  modelInUse,
  statisticsReport,
  trendsReport,
  weeklyTrendsReport,
} from '@tiaki/domain';
import { api, query, type Schema } from '../../api/client.ts';

export interface StatisticsFilter {
  from: string;
  to: string;
  /** A region code (REGC); all regions when absent. */
  region?: string | undefined;
  /** Exact numbers: authorised staff only, never published. */
  exact?: boolean;
}

const params = (filter: StatisticsFilter) => ({
  from: filter.from,
  to: filter.to,
  region: filter.region,
});

/** Exact is sent only when asked for: the server refuses it to people without the permission. */
const withExact = (filter: StatisticsFilter) => ({
  ...params(filter),
  exact: filter.exact ? 'true' : undefined,
});

/** The answer to a series import: how many values were stored. */
/** The answer to withdrawing an approval. */
const revoked: Schema<{ id: string; revoked: true }> = {
  safeParse(data: unknown) {
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    return typeof record.id === 'string' && record.revoked === true
      ? { success: true, data: { id: record.id, revoked: true } }
      : { success: false, error: new Error('Expected a withdrawn approval') };
  },
};

const withdrawnAnnex: Schema<{ quarter: string; withdrawn: true }> = {
  safeParse(data: unknown) {
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    return typeof record.quarter === 'string' && record.withdrawn === true
      ? { success: true, data: { quarter: record.quarter, withdrawn: true } }
      : { success: false, error: new Error('Expected a withdrawn annex') };
  },
};

const imported: Schema<{ points: number }> = {
  safeParse(data: unknown) {
    const points = typeof data === 'object' && data !== null ? (data as { points?: unknown }).points : null;
    return typeof points === 'number'
      ? { success: true, data: { points } }
      : { success: false, error: new Error('Expected points') };
  },
};

export const statisticsApi = {
  report: (filter: StatisticsFilter) =>
    api.get(`/api/statistics${query(withExact(filter))}`, statisticsReport),
  /** The server's CSV of one published table (rounded and suppressed, whatever the page shows). */
  csvUrl: (name: string, filter: StatisticsFilter) =>
    `/api/statistics/tables/${encodeURIComponent(name)}/csv${query(params(filter))}`,
  /** Referrals by month with their seasonal baseline, holidays, events and imported series. */
  trends: (filter: StatisticsFilter) =>
    api.get(`/api/statistics/trends${query(withExact(filter))}`, trendsReport),
  /** Referrals by ISO week (whole weeks, Monday to Sunday), with the weekly suppression threshold. */
  weeklyTrends: (filter: StatisticsFilter) =>
    api.get(`/api/statistics/trends/weekly${query(withExact(filter))}`, weeklyTrendsReport),
  /** Data stewards: the quality of each organisation's referrals in a month, quarter or year (exact). */
  dataQuality: (period: string) =>
    api.get(`/api/statistics/data-quality${query({ period })}`, dataQualityReport),
  /** Whether I may see iwi-level statistics (the governance group, or an approval in force). */
  iwiAccess: () => api.get('/api/statistics/iwi/access', iwiAccess),
  /** Iwi-level tables for a standard period: the governance group and the people it approved only. */
  iwi: (period: { from: string; to: string }) =>
    api.get(`/api/statistics/iwi${query({ from: period.from, to: period.to })}`, iwiReport),
  /** The governance group: every approval, in force or not, and who could be approved. */
  iwiGrants: () => api.get('/api/statistics/iwi/grants', iwiGrants),
  /** The governance group approves a person for a purpose until a date (at most a year ahead). */
  approveIwi: (input: { userId: string; purpose: string; expiresOn: string }) =>
    api.post('/api/statistics/iwi/grants', created, input),
  /** The governance group withdraws an approval at once. */
  withdrawIwi: (id: string) => api.post('/api/statistics/iwi/grants/revoke', revoked, { id }),
  /** The governance group: which quarterly bulletins carry the iwi annex. */
  iwiAnnexes: () => api.get('/api/statistics/iwi/annexes', iwiAnnexes),
  /** The governance group approves the iwi annex of a quarter's bulletin for release. */
  approveIwiAnnex: (quarter: string) => api.post('/api/statistics/iwi/annexes', created, { quarter }),
  /** The governance group withdraws that approval: the bulletin is built without the annex again. */
  withdrawIwiAnnex: (quarter: string) =>
    api.post('/api/statistics/iwi/annexes/withdraw', withdrawnAnnex, { quarter }),
  /** Data stewards: the matching model, the reviews it can learn from and every version. */
  matchingModel: () => api.get('/api/linkage/model', matchingModelView),
  /** Data stewards: learns a new version from the reviews (not in use until put in use). */
  learnModel: () => api.post('/api/linkage/model/reestimate', learntModel, {}),
  /** Data stewards: puts a version in use, or goes back to one (`built-in`: the model Tiaki ships with). */
  useModel: (versionId: string) => api.post('/api/linkage/model/activate', modelInUse, { versionId }),
  /** Data stewards: names an event to mark on trends. */
  addEvent: (input: { name: string; startsOn: string; endsOn: string }) =>
    api.post('/api/statistics/events', created, input),
  /** Data stewards: imports (or replaces the values of) a series from CSV lines `YYYY-MM-DD,value`. */
  importSeries: (input: { series: string; csv: string }) =>
    api.post('/api/statistics/series', imported, input),
};

export type TrendsReport = Awaited<ReturnType<typeof statisticsApi.trends>>;
export type WeeklyTrendsReport = Awaited<ReturnType<typeof statisticsApi.weeklyTrends>>;
export type IwiGrantsView = Awaited<ReturnType<typeof statisticsApi.iwiGrants>>;
export type IwiAccessView = Awaited<ReturnType<typeof statisticsApi.iwiAccess>>;

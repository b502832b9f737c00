import { statisticsReport } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';

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

export const statisticsApi = {
  report: (filter: StatisticsFilter) =>
    api.get(
      `/api/statistics${query({ ...params(filter), exact: filter.exact ? 'true' : undefined })}`,
      statisticsReport,
    ),
  /** The server's CSV of one published table (rounded and suppressed, whatever the page shows). */
  csvUrl: (name: string, filter: StatisticsFilter) =>
    `/api/statistics/tables/${encodeURIComponent(name)}/csv${query(params(filter))}`,
};

import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import type { TFunction } from 'i18next';
import { Bar, Line } from 'react-chartjs-2';
import { formatNumber } from '../../i18n/format.ts';

// Only the parts of Chart.js these charts use, so the page's download stays small.
ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend);
ChartJS.defaults.font.family =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
ChartJS.defaults.font.size = 13;
ChartJS.defaults.color = '#1b1d1f';

/** Colours told apart by people with the common kinds of colour blindness (Okabe and Ito), darkened for contrast. */
export const COLOURS = [
  '#0b4f4a',
  '#c26e00',
  '#1f78b4',
  '#a8329a',
  '#5a3c8a',
  '#b3261e',
  '#2e7d32',
  '#4f5559',
];

export interface Series {
  label: string;
  /** null is a suppressed value: a gap in the chart, never a zero. */
  values: (number | null)[];
}

/**
 * The chart's text alternative: what it shows and its largest values, then any `more` sentences,
 * then where to find every number.
 */
export function chartSummary(
  t: TFunction,
  title: string,
  labels: string[],
  series: Series[],
  more: string[] = [],
): string {
  const parts = [t('statistics.chartOf', { title })];
  if (series.length === 1 && series[0]) {
    const values = series[0].values;
    const ranked = labels
      .map((label, i) => ({ label, value: values[i] ?? null }))
      .filter((x): x is { label: string; value: number } => x.value !== null && x.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, 3);
    parts.push(
      ranked.length
        ? t('statistics.chartLargest', {
            list: ranked.map((x) => `${x.label} ${formatNumber(x.value)}`).join(', '),
          })
        : t('statistics.chartNothing'),
    );
  } else {
    parts.push(t('statistics.chartGroups', { groups: series.map((s) => s.label).join(', ') }));
  }
  const gaps = series.reduce((n, s) => n + s.values.filter((v) => v === null).length, 0);
  if (gaps) parts.push(t('statistics.chartGaps', { count: gaps }));
  parts.push(...more, t('statistics.chartTable'));
  return parts.join(' ');
}

export interface StatChartProps {
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
  /** What the chart shows, in words, for people who cannot see it. */
  summary: string;
  /** Bars across the page, for long category names. */
  horizontal?: boolean;
  stacked?: boolean;
  tall?: boolean;
}

/** A chart drawn on a canvas (nothing inline for the Content-Security-Policy), with a text summary. */
export function StatChart({
  kind,
  labels,
  series,
  summary,
  horizontal = false,
  stacked = false,
  tall = false,
}: StatChartProps) {
  const legend = series.length > 1;
  const valueAxis = {
    beginAtZero: true,
    stacked,
    ticks: { precision: 0 },
    grid: { color: '#e1e4e6' },
  };
  const categoryAxis = { stacked, grid: { display: false }, ticks: { autoSkip: false } };
  const scales = horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: { legend: { display: legend, position: 'bottom' as const } },
  };
  const canvas = { role: 'img', 'aria-label': summary };
  const className = tall ? 'chart chart-tall' : 'chart';

  if (kind === 'line') {
    const options: ChartOptions<'line'> = { ...common, scales, spanGaps: false };
    return (
      <div className={className}>
        <Line
          {...canvas}
          options={options}
          data={{
            labels,
            datasets: series.map((s, i) => ({
              label: s.label,
              data: s.values,
              borderColor: COLOURS[i % COLOURS.length] ?? '#0b4f4a',
              backgroundColor: COLOURS[i % COLOURS.length] ?? '#0b4f4a',
              pointRadius: 3,
              borderWidth: 2,
            })),
          }}
        >
          {summary}
        </Line>
      </div>
    );
  }
  const options: ChartOptions<'bar'> = { ...common, scales, indexAxis: horizontal ? 'y' : 'x' };
  return (
    <div className={className}>
      <Bar
        {...canvas}
        options={options}
        data={{
          labels,
          datasets: series.map((s, i) => ({
            label: s.label,
            data: s.values,
            backgroundColor: COLOURS[i % COLOURS.length] ?? '#0b4f4a',
            borderWidth: 0,
          })),
        }}
      >
        {summary}
      </Bar>
    </div>
  );
}

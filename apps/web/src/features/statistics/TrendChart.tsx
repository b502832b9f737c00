import {
  BarController,
  Chart as ChartJS,
  LineController,
  type ChartData,
  type ChartOptions,
  type TooltipItem,
} from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { formatNumber } from '../../i18n/format.ts';
// Importing StatChart also registers the Chart.js parts and fonts every statistics chart shares.
import { COLOURS, type Series } from './StatChart.tsx';

// A chart of lines and bars together: the generic <Chart> does not register controllers itself.
ChartJS.register(BarController, LineController);

const UNUSUAL = '#b3261e';
const BASELINE = '#4f5559';
const HOLIDAY = '#dde2e5';

export interface TrendChartProps {
  labels: string[];
  referrals: Series;
  baseline: Series;
  /** Months well above their usual level: marked with a triangle. */
  unusual: { label: string; flags: boolean[] };
  /** Months with school holidays: shaded from top to bottom. */
  holidays: { label: string; flags: boolean[] };
  /** The named events of each month: a band along the top. */
  events: { label: string; names: string[][] };
  /** An imported series, on its own axis at the right. */
  external?: Series | undefined;
  /** The left axis's title. */
  axis: string;
  /** What the chart shows, in words, for people who cannot see it. */
  summary: string;
}

type Mixed = 'bar' | 'line';
type Value = number | [number, number] | null;

/** A full-height band (or one along the top) on a hidden 0–1 axis, for each month flagged. */
const band = (flags: boolean[], from: number): Value[] => flags.map((flag) => (flag ? [from, 1] : null));

/**
 * Referrals by month against their usual level, with school holidays and events drawn behind
 * them. Drawn on a canvas (nothing inline for the Content-Security-Policy), with a text summary.
 */
export function TrendChart({
  labels,
  referrals,
  baseline,
  unusual,
  holidays,
  events,
  external,
  axis,
  summary,
}: TrendChartProps) {
  const line = (colour: string) => ({
    type: 'line' as const,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    yAxisID: 'y',
  });
  const wide = {
    type: 'bar' as const,
    yAxisID: 'yBands',
    barPercentage: 1,
    categoryPercentage: 1,
    grouped: false,
  };
  const datasets: ChartData<Mixed, Value[], string>['datasets'] = [
    // A lower order is drawn on top: the bands stay behind the lines.
    {
      ...line(COLOURS[0] ?? '#0b4f4a'),
      label: referrals.label,
      data: referrals.values,
      pointRadius: 3,
      order: 1,
    },
    {
      ...line(UNUSUAL),
      label: unusual.label,
      data: referrals.values.map((v, i) => (unusual.flags[i] ? v : null)),
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 9,
      pointHoverRadius: 10,
      order: 0,
    },
    {
      ...line(BASELINE),
      label: baseline.label,
      data: baseline.values,
      borderDash: [6, 4],
      // A short dash at each month, so a usual level for a single month still shows.
      pointStyle: 'line',
      pointRadius: 8,
      pointBorderWidth: 2,
      order: 2,
    },
    ...(external
      ? [
          {
            ...line(COLOURS[1] ?? '#c26e00'),
            label: external.label,
            data: external.values,
            yAxisID: 'y1',
            pointStyle: 'rectRot' as const,
            pointRadius: 4,
            order: 3,
          },
        ]
      : []),
    {
      ...wide,
      label: holidays.label,
      data: band(holidays.flags, 0),
      backgroundColor: HOLIDAY,
      pointStyle: 'rect',
      order: 11,
    },
    {
      ...wide,
      label: events.label,
      data: band(
        events.names.map((names) => names.length > 0),
        0.94,
      ),
      backgroundColor: COLOURS[3] ?? '#a8329a',
      pointStyle: 'rect',
      order: 10,
    },
  ];

  const tooltipLabel = (item: TooltipItem<Mixed>): string => {
    const label = item.dataset.label ?? '';
    if (item.dataset.label === events.label)
      return `${label}: ${(events.names[item.dataIndex] ?? []).join(', ')}`;
    if (item.dataset.label === holidays.label || item.dataset.label === unusual.label) return label;
    return `${label}: ${formatNumber(item.parsed.y ?? 0)}`;
  };

  const options: ChartOptions<Mixed> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    spanGaps: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { usePointStyle: true } },
      tooltip: { filter: (item) => item.raw !== null, callbacks: { label: tooltipLabel } },
    },
    scales: {
      x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
      y: {
        beginAtZero: true,
        ticks: { precision: 0 },
        grid: { color: '#e1e4e6' },
        title: { display: true, text: axis },
      },
      yBands: { type: 'linear', display: false, min: 0, max: 1 },
      ...(external
        ? {
            y1: {
              type: 'linear' as const,
              position: 'right' as const,
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              title: { display: true, text: external.label },
            },
          }
        : {}),
    },
  };

  return (
    <div className="chart chart-trends">
      <Chart type="bar" role="img" aria-label={summary} options={options} data={{ labels, datasets }}>
        {summary}
      </Chart>
    </div>
  );
}

/**
 * Responses per family per time bucket as a small stacked bar chart. Each series is one SVG path
 * (not a rect per bar), so the chart costs the first frame almost nothing.
 */
import { TIMELINE_SERIES, timelineWindow, type SwitchEvent, type TimelineSeries } from '../core/live/live';
import type { BucketRing } from '../core/live/ring';
import { t } from '../platform/i18n';
import { switchText } from './SwitchList';

const HEIGHT = 40;
const BAR = 0.8;

function legendLabel(series: TimelineSeries): string {
  return t(series === 'v6' ? 'familyIPv6' : series === 'v4' ? 'familyIPv4' : series === 'unknown' ? 'timelineNoAddress' : 'timelineFailed');
}

interface Props {
  timeline: BucketRing;
  switches: SwitchEvent[];
  now: number;
  /** Bars drawn, and 10 s buckets per bar. */
  bars: number;
  groupBy: number;
  /** Which period this is, for the data-period attribute ("10m", "1h"). */
  period: string;
}

export function TimelineChart({ timeline, switches, now, bars, groupBy, period }: Props) {
  const window = timelineWindow(timeline, now, bars, groupBy);
  const totals = window.series.v6.map((_, i) => TIMELINE_SERIES.reduce((sum, name) => sum + (window.series[name][i] ?? 0), 0));
  const peak = Math.max(1, ...totals);
  const scale = HEIGHT / peak;
  const base = new Array<number>(bars).fill(HEIGHT);
  const paths = TIMELINE_SERIES.map((name) => {
    let d = '';
    window.series[name].forEach((count, i) => {
      if (count <= 0) return;
      const height = count * scale;
      const bottom = base[i] ?? HEIGHT;
      d += `M${i + (1 - BAR) / 2} ${bottom}v${-height}h${BAR}v${height}z`;
      base[i] = bottom - height;
    });
    return { name, d };
  });
  const end = window.start + bars * window.bucketMs;
  const markers = switches.filter((event) => event.lastTime >= window.start && event.time < end);
  const minutes = Math.round((bars * window.bucketMs) / 60_000);
  const sums = Object.fromEntries(TIMELINE_SERIES.map((name) => [name, window.series[name].reduce((a, b) => a + b, 0)])) as Record<TimelineSeries, number>;
  const summary = t('timelineSummary', [String(minutes), String(sums.v6), String(sums.v4), String(sums.unknown), String(sums.failed)]);
  return (
    <figure class="timeline" data-period={period} data-start={window.start} data-bucket-ms={window.bucketMs}>
      <figcaption>
        <span>{t('timelineHeading', String(minutes))}</span>
        <span class="muted">{t('timelinePeak', [String(Math.max(...totals)), String(window.bucketMs / 1000)])}</span>
      </figcaption>
      <svg viewBox={`0 0 ${bars} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        {paths.map(({ name, d }) => (
          <path key={name} class={`series series-${name}`} data-series={name} data-counts={window.series[name].join(' ')} d={d} />
        ))}
        {markers.map((event) => {
          const x = Math.min(bars, Math.max(0, (event.time - window.start) / window.bucketMs));
          return (
            <line key={`${event.domain} ${event.time}`} class="switch-marker" data-time={event.time} x1={x} x2={x} y1={0} y2={HEIGHT} vector-effect="non-scaling-stroke">
              <title>{switchText(event)}</title>
            </line>
          );
        })}
      </svg>
      <div class="timeline-axis muted" aria-hidden="true">
        <span>{t('timelineAxisStart', String(minutes))}</span>
        <span class="legend">
          {TIMELINE_SERIES.map((name) => (
            <span key={name} class={`legend-${name}`}>{legendLabel(name)}</span>
          ))}
          <span class="legend-switch">{t('timelineSwitch')}</span>
        </span>
        <span>{t('timelineAxisNow')}</span>
      </div>
    </figure>
  );
}

/** Above the rows: family shares, the timeline (and the last hour in a full tab), switches. */
import { useState } from 'preact/hooks';
import { MAX_SWITCHES, TIMELINE_SLOTS } from '../core/live/live';
import { isLive } from '../core/live/liveness';
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { ShareBars } from './ShareBars';
import { SwitchList } from './SwitchList';
import { TimelineChart } from './TimelineChart';

/** Switches listed in the toolbar popup; the full tab lists all that are kept. */
const POPUP_SWITCHES = 3;
/** Bars per chart: 10 minutes of 10 s buckets, or the hour of 1 min (6 buckets) bars. */
const BARS = 60;

/**
 * A full tab (the report, the popup opened in a tab) always shows the panel. The toolbar popup
 * shows it open for a live tab (core/live/liveness.ts) and folds it into one line otherwise, so
 * that a static page's table comes first; folded, it stays in the page and opens on a click.
 */
export function LivePanel({ snapshot, now, wide }: { snapshot: TabSnapshot; now: number; wide: boolean }) {
  // Once the reader opens or folds the panel, it stays so while the tab goes live or quiet.
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const content = (
    <>
      <ShareBars snapshot={snapshot} />
      <div class="charts">
        <TimelineChart timeline={snapshot.timeline} switches={snapshot.switches} now={now} bars={BARS} groupBy={1} period="10m" />
        {wide && (
          <TimelineChart timeline={snapshot.timeline} switches={snapshot.switches} now={now} bars={BARS} groupBy={TIMELINE_SLOTS / BARS} period="1h" />
        )}
      </div>
      <SwitchList switches={snapshot.switches} limit={wide ? MAX_SWITCHES : POPUP_SWITCHES} />
    </>
  );
  if (wide) return <section class="live">{content}</section>;
  const live = isLive(snapshot, now);
  const open = chosen ?? live;
  return (
    <details
      class="live"
      open={open}
      data-live-panel={live ? 'live' : 'static'}
      onToggle={(event) => {
        if (event.currentTarget.open !== open) setChosen(event.currentTarget.open);
      }}
    >
      <summary>{t(live ? 'livePanelLive' : 'livePanelStatic')}</summary>
      {content}
    </details>
  );
}

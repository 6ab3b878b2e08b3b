/** What a page says instead of a report: loading, no tab, tab closed, or a page IPvLens has not seen. */
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import type { Loaded } from './useTabSummary';

/** The snapshot to show, with its tab and config; undefined while there is none (see TabStatus). */
export function shownSnapshot(state: Loaded): { snapshot: TabSnapshot; tabId: number; config: Extract<Loaded, { kind: 'report' }>['config'] } | undefined {
  if (state.kind !== 'report' || state.report.state !== 'ok') return undefined;
  return { snapshot: state.report.snapshot, tabId: state.report.tabId, config: state.config };
}

function Message({ title, body }: { title: string; body: string }) {
  return (
    <div class="message" role="status">
      <h1>{title}</h1>
      <p>{body}</p>
    </div>
  );
}

/** For every state without a snapshot to show (nothing for a snapshot). */
export function TabStatus({ state }: { state: Loaded }) {
  if (state.kind === 'loading') return <p class="status">{t('loading')}</p>;
  if (state.kind === 'no-tab') return <Message title={t('noTabTitle')} body={t('noTabBody')} />;
  const report = state.report;
  if (report.state === 'no-tab') return <Message title={t('tabClosedTitle')} body={t('tabClosedBody', String(report.tabId))} />;
  if (report.state === 'ok') return null;
  switch (report.pageKind) {
    case 'web':
      return <Message title={t('reloadTitle')} body={t('reloadBody')} />;
    case 'local-file':
      return <Message title={t('localFileTitle')} body={t('localFileBody')} />;
    default:
      return <Message title={t('browserPageTitle')} body={t('browserPageBody')} />;
  }
}

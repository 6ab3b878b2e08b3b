/**
 * Export the tab as JSON, CSV or Markdown (downloaded), or copy the Markdown: built here, from the
 * snapshot on screen, by the core's writers; nothing is sent anywhere.
 */
import { tabCsv } from '../core/export/csv';
import { exportFileName } from '../core/export/fileName';
import { tabMarkdown } from '../core/export/markdown';
import { tabExport } from '../core/export/tabExport';
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { downloadText } from './download';

type Format = 'json' | 'csv' | 'md';

const MIME: Record<Format, string> = { json: 'application/json', csv: 'text/csv;charset=utf-8', md: 'text/markdown;charset=utf-8' };

function textOf(snapshot: TabSnapshot, format: Format): string {
  const report = tabExport(snapshot, Date.now());
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'csv' ? tabCsv(report) : tabMarkdown(report, t);
}

/** Copies text and says so (`done`, else "Copied …") or why not in the page's status line. */
export type CopyWithStatus = (text: string, done?: string) => void;

interface Props {
  snapshot: TabSnapshot;
  /** Reports what was done, for the page's spoken status line. */
  onDone: (message: string) => void;
  copy: CopyWithStatus;
}

export function ExportMenu({ snapshot, onDone, copy }: Props) {
  // Until every row has arrived an export would be short: wait for the complete snapshot.
  const ready = snapshot.omittedRows === 0;
  const save = (format: Format): void => {
    const fileName = exportFileName(snapshot.mainDomain, new Date(), format);
    downloadText(fileName, MIME[format], textOf(snapshot, format));
    onDone(t('exported', fileName));
  };
  const copyMarkdown = (): void => copy(textOf(snapshot, 'md'), t('copiedMarkdown'));
  return (
    <span class="export" role="group" aria-label={t('exportLabel')}>
      {t('exportLabel')}
      {(['json', 'csv', 'md'] as const).map((format) => (
        <button key={format} type="button" class="link" data-export={format} disabled={!ready} onClick={() => save(format)}>
          {format === 'md' ? 'Markdown' : format.toUpperCase()}
        </button>
      ))}
      <button type="button" class="link" data-export="copy-md" disabled={!ready} onClick={copyMarkdown}>
        {t('copyMarkdown')}
      </button>
    </span>
  );
}

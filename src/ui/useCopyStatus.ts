/** Copying from a page, with a spoken and visible line saying what was copied (or why not). */
import { useMemo, useState } from 'preact/hooks';
import { t } from '../platform/i18n';
import { copyText } from './api';
import type { CopyWithStatus } from './ExportMenu';

export function useCopyStatus(): { copy: CopyWithStatus; status: string; setStatus: (status: string) => void } {
  const [status, setStatus] = useState('');
  const copy = useMemo<CopyWithStatus>(
    () => (text, done = t('copied', text)) => {
      copyText(text).then(
        () => setStatus(done),
        (error: unknown) => setStatus(t('copyFailed', String(error))),
      );
    },
    [],
  );
  return { copy, status, setStatus };
}

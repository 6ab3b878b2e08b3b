/** A summary line and a table, ready to paste into a ticket or a chat. */
import type { Translate } from '../i18n';
import { familyTotal, formatBytes } from '../live/share';
import { proxyNoteText } from '../proxy/pageProxy';
import { ipv6HealthLine, readinessLabel, reasonLabel, verdictShort } from '../readiness/readinessText';
import { healthOfExport, type TabExport } from './tabExport';

/** Table cell text: pipes escaped, line breaks flattened, so a value never breaks the table. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function tabMarkdown(report: TabExport, t: Translate): string {
  const { domains, requests, bytes } = report.summary;
  const title = report.page.mainDomain ?? report.page.url ?? t('unknownPage');
  const lines = [
    `## ${markdownCell(t('markdownTitle', title))}`,
    '',
    t('markdownSummary', [
      String(domains.percent.v6),
      String(familyTotal(domains.counts)),
      String(requests.percent.v6),
      String(familyTotal(requests.counts)),
      String(bytes.percent.v6),
      formatBytes(familyTotal(bytes.counts)),
    ]),
    '',
    verdictShort(report, t),
    '',
    ipv6HealthLine(healthOfExport(report.ipv6Health), Date.parse(report.generatedAt), t),
    '',
    `| ${[t('columnDomain'), t('columnAddress'), t('columnFamily'), t('columnClass'), t('columnReadiness'), t('columnReason'), t('columnRequests'), t('columnBytes')].join(' | ')} |`,
    '| --- | --- | --- | --- | --- | --- | ---: | ---: |',
  ];
  for (const domain of report.domains) {
    const primary = domain.addresses[0];
    const more =
      (domain.addresses.length > 1 ? ` ${t('moreAddresses', String(domain.addresses.length - 1))}` : '') +
      (domain.proxy === undefined ? '' : ` ${proxyNoteText(t, domain.proxy)}`);
    const cells = [
      domain.isMain ? `**${markdownCell(domain.domain)}**` : markdownCell(domain.domain),
      primary === undefined ? '—' : `\`${markdownCell(primary.display)}\`${markdownCell(more)}`,
      domain.family ?? '?',
      primary?.class ?? '—',
      readinessLabel(domain.readiness, t),
      domain.reason === null ? '' : reasonLabel(domain.reason, t),
      String(domain.requests),
      formatBytes(domain.bytes),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

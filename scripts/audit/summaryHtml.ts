/**
 * `summary.html`: the scoreboard as one standalone file — styles and the sorting script inline,
 * nothing fetched (its Content-Security-Policy forbids any load), so it opens from disk anywhere.
 * Every value from a site is escaped: a host name or an error is text, never markup.
 */
import { blockingHosts, unknownHosts, type SiteRow } from './siteRow';
import { tallyByFamily, type AuditSummary } from './summary';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

interface Column {
  title: string;
  /** Cell text, and the value it sorts by (numbers sort as numbers). */
  cell(site: SiteRow): { text: string; sort: string | number };
}

const text = (value: string | null): { text: string; sort: string } => ({ text: value ?? '', sort: value ?? '' });
const number = (value: number | null): { text: string; sort: number } => ({ text: value === null ? '' : String(value), sort: value ?? -1 });

/** Verdicts sort worst first going up: not-ready < unknown < ready. */
const VERDICT_ORDER: Record<string, number> = { 'not-ready': 0, unknown: 1, ready: 2 };
const verdict = (value: string | null): { text: string; sort: number } => ({ text: value ?? '', sort: value === null ? -1 : (VERDICT_ORDER[value] ?? -1) });

const COLUMNS: Column[] = [
  { title: 'URL', cell: (s) => text(s.url) },
  { title: 'Final URL', cell: (s) => text(s.finalUrl) },
  { title: 'Verdict (IPv6-only)', cell: (s) => verdict(s.verdict) },
  { title: 'With NAT64', cell: (s) => verdict(s.verdictNat64) },
  { title: 'Score %', cell: (s) => number(s.score) },
  { title: 'With published %', cell: (s) => number(s.scoreWithPublished) },
  { title: 'Main domain', cell: (s) => text(s.mainDomain) },
  { title: 'Main family', cell: (s) => text(s.mainFamily) },
  { title: 'Hosts IPv6', cell: (s) => number(s.error === null ? tallyByFamily(s, 'hosts').ipv6 : null) },
  { title: 'Hosts IPv4', cell: (s) => number(s.error === null ? tallyByFamily(s, 'hosts').ipv4 : null) },
  { title: 'Blocking hosts', cell: (s) => text(blockingHosts(s).join(' ')) },
  { title: 'Unknown hosts', cell: (s) => text(unknownHosts(s).join(' ')) },
  { title: 'Error', cell: (s) => text(s.error) },
];

function sitesTable(summary: AuditSummary): string {
  const head = COLUMNS.map((column, index) => `<th><button type="button" data-column="${index}">${escapeHtml(column.title)}</button></th>`).join('');
  const rows = summary.sites.map((site) => {
    const cells = COLUMNS.map((column) => {
      const { text: shown, sort } = column.cell(site);
      return `<td data-sort="${escapeHtml(String(sort))}">${escapeHtml(shown)}</td>`;
    });
    return `<tr${site.error === null ? '' : ' class="error"'}>${cells.join('')}</tr>`;
  });
  return `<table id="sites"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function blockersTable(summary: AuditSummary): string {
  if (summary.blockers.length === 0) return '<p>No third party blocks any site.</p>';
  const rows = summary.blockers.map((b) => `<tr><td>${escapeHtml(b.domain)}</td><td>${b.sites}</td></tr>`);
  return `<table><thead><tr><th>Third-party host</th><th>Sites it blocks</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Sorts by a column on click: numbers numerically, text A→Z; a second click reverses. */
const SORT_SCRIPT = `
const table = document.getElementById('sites');
let sorted = -1, ascending = true;
table.querySelector('thead').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-column]');
  if (!button) return;
  const column = Number(button.dataset.column);
  ascending = column === sorted ? !ascending : true;
  sorted = column;
  const key = (row) => row.children[column].dataset.sort;
  const rows = [...table.tBodies[0].rows];
  const numeric = rows.every((row) => key(row) !== '' && !Number.isNaN(Number(key(row))));
  rows.sort((a, b) => {
    const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b));
    return ascending ? order : -order;
  });
  table.tBodies[0].append(...rows);
  for (const th of table.tHead.rows[0].cells) th.removeAttribute('aria-sort');
  button.parentElement.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
});`;

export function summaryHtml(summary: AuditSummary): string {
  const audited = summary.sites.filter((site) => site.error === null);
  const ready = audited.filter((site) => site.verdict === 'ready').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>IPvLens audit</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: bold; background: none; border: 0; cursor: pointer; padding: 0; }
tr.error td { color: #8a1c1c; }
</style></head><body>
<h1>IPvLens audit</h1>
<p>${summary.sites.length} sites, ${audited.length} audited, ${ready} ready for IPv6-only clients; generated ${escapeHtml(summary.generatedAt)}. Click a column to sort.</p>
${sitesTable(summary)}
<h2>Third parties that block the most sites</h2>
${blockersTable(summary)}
<script>${SORT_SCRIPT}</script>
</body></html>
`;
}

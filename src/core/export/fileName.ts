/** `ipvlens-example.org-2026-11-23T12-03.csv`: the site and the local time, safe in any file system. */
export function exportFileName(site: string | undefined, at: Date, extension: string): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}-${two(at.getMinutes())}`;
  // Host names are already safe but for IPv6 literals ("[2001:db8::1]"); anything else is replaced.
  const safeSite = (site ?? 'page').replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'page';
  return `ipvlens-${safeSite}-${stamp}.${extension}`;
}

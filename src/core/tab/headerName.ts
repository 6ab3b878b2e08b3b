/**
 * Whether an HTTP header's name is `lowerName` (given in lower case), in any letter case
 * (RFC 9110 §5.1), without a lower-cased copy: every response's headers are read twice, and
 * copies of names such as "Content-Type" came to about 1 MiB per 3,000 responses.
 * Names are ASCII tokens, so only ASCII letters fold.
 */
export function isHeaderName(name: string, lowerName: string): boolean {
  if (name.length !== lowerName.length) return false;
  for (let i = 0; i < name.length; i++) {
    let code = name.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

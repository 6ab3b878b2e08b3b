/**
 * Which learned NAT64 prefixes may be remembered (storage.local outlives a private window): only
 * those that a tab of a normal window taught. One seen in private tabs alone is not learned at all
 * (prefixes apply to every tab, so it cannot stay with the private tab), and a tab whose window
 * cannot be told counts as private.
 */

export async function prefixesToRemember(
  learned: ReadonlyMap<string, ReadonlySet<number>>,
  isNormalTab: (tabId: number) => Promise<boolean>,
): Promise<string[]> {
  const normal = new Map<number, Promise<boolean>>();
  const askOnce = (tabId: number): Promise<boolean> => {
    let answer = normal.get(tabId);
    if (answer === undefined) {
      answer = isNormalTab(tabId).catch((error: unknown) => {
        console.error('IPvLens: could not tell whether a tab is private; its prefix is not learned', error);
        return false;
      });
      normal.set(tabId, answer);
    }
    return answer;
  };
  const kept: string[] = [];
  for (const [prefix, tabs] of learned) {
    const answers = await Promise.all([...tabs].map(askOnce));
    if (answers.includes(true)) kept.push(prefix);
  }
  return kept;
}

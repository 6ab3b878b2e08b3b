/** The private-window scenario's names and addresses, shared by the scenario and its test. */

/** A normal tab loaded first: the reloaded extension is listening once it is listed. */
export const WARM_UP_HOST = 'warm.test';

/** Each visit: its site, an IPv4-only name (RFC 7050 and friends) answering over IPv6, and the /96 that teaches. */
export const PRIVATE_VISIT = { site: 'secret.test', ipv4Only: 'ipv4only.arpa', address: '2001:db8:46::c000:aa', prefix: '2001:db8:46::/96' } as const;
export const NORMAL_VISIT = { site: 'open.test', ipv4Only: 'v4.ipv6-test.com', address: '2001:db8:64::c000:aa', prefix: '2001:db8:64::/96' } as const;

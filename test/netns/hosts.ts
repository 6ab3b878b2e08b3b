/** The address-class scenario's host table, shared by the scenario and the test that checks it. */
/** Host name → address it resolves to, and the class and family the popup must show. */
export const HOSTS: Record<string, { address: string; addressClass: string; family: '4' | '6' }> = {
  'loop4.test': { address: '127.0.0.1', addressClass: 'loopback', family: '4' },
  'loop6.test': { address: '::1', addressClass: 'loopback', family: '6' },
  'mapped.test': { address: '::ffff:127.0.0.2', addressClass: 'ipv4-mapped', family: '4' },
  'global4.test': { address: '192.0.3.7', addressClass: 'global', family: '4' },
  'global6.test': { address: '2a00:0:0:7::1', addressClass: 'global', family: '6' },
  'private.test': { address: '10.1.2.3', addressClass: 'private', family: '4' },
  'cgnat.test': { address: '100.64.0.7', addressClass: 'shared', family: '4' },
  'linklocal.test': { address: '169.254.7.7', addressClass: 'link-local', family: '4' },
  'doc4.test': { address: '192.0.2.10', addressClass: 'documentation', family: '4' },
  'bench.test': { address: '198.18.0.5', addressClass: 'benchmarking', family: '4' },
  'ula.test': { address: 'fd00::7', addressClass: 'unique-local', family: '6' },
  'nat64.test': { address: '64:ff9b::7f00:1', addressClass: 'nat64', family: '4' },
  'sixtofour.test': { address: '2002:c000:204::1', addressClass: '6to4', family: '6' },
  'teredo.test': { address: '2001:0:4136:e378:8000:63bf:3fff:fdd2', addressClass: 'teredo', family: '6' },
  // Documentation space until the options page adds 2001:db8:122::/48 as a NAT64 prefix.
  'v4behind.test': { address: '2001:db8:122:c000:2:2100::', addressClass: 'documentation', family: '6' },
  // An IPv4-only name answering over IPv6: its /96 is learned as this network's NAT64 prefix.
  'ipv4only.arpa': { address: '2001:db8:64::c000:aa', addressClass: 'nat64', family: '4' },
};

export const USER_PREFIX = '2001:db8:122::/48';
export const LEARNED_PREFIX = '2001:db8:64::/96';

/** Moved to scripts/browser/dnsAnswer.ts with the DNS-over-HTTPS responder; kept so tests import it from here as before. */
export * from '../../scripts/browser/dnsAnswer';

import { describe, expect, it } from 'vitest';
import { approximateCountry } from './approximate-location.js';

describe('the approximate location of an IP address', () => {
  it('is the country from the offline database, for IPv4 and IPv6', () => {
    // MaxMind's own test addresses: a British IPv4 network and a German IPv6 one (Google Frankfurt).
    expect(approximateCountry('81.2.69.160')).toBe('GB');
    expect(approximateCountry('2a00:1450:4001:80b::200e')).toBe('DE');
  });

  it('is unknown for private, loopback, missing or malformed addresses', () => {
    expect(approximateCountry('127.0.0.1')).toBeNull();
    expect(approximateCountry('10.1.2.3')).toBeNull();
    expect(approximateCountry('::1')).toBeNull();
    expect(approximateCountry(null)).toBeNull();
    expect(approximateCountry('not an address')).toBeNull();
  });
});

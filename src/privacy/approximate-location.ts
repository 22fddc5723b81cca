/**
 * The approximate location of an IP address, as a country, looked up in the offline GeoLite2
 * country database the `geoip-country` npm package ships (MaxMind's data: see the README's notices).
 * No third party is asked and nothing leaves the machine; a country is all Mixgate keeps, which is
 * enough for a user to recognise their own sign-ins and no more precise than that (data
 * minimisation). The database (about 8 MB) is loaded on the first lookup, not at start-up.
 */
import { createRequire } from 'node:module';
import { isIP } from 'node:net';

interface GeoipCountry {
  lookup(ip: string): { country: string } | null;
}

let database: GeoipCountry | undefined;

/** The ISO 3166-1 alpha-2 country of `ip`, or null for a private, loopback or unknown address. */
export function approximateCountry(ip: string | null | undefined): string | null {
  if (!ip || isIP(ip) === 0) return null;
  database ??= createRequire(import.meta.url)('geoip-country') as GeoipCountry;
  const country = database.lookup(ip)?.country;
  return country && /^[A-Z]{2}$/.test(country) ? country : null;
}

/** The same server URL with another database name (works for TCP and ?host=/socket URLs). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

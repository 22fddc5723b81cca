/**
 * The operator's analytics script, present in the page only while analytics is granted. A script
 * cannot be unloaded once it ran (its timers and listeners stay), so a withdrawal reloads the page,
 * which comes back without it.
 *
 * Cookies: Mixgate's only cookie (mg_session) is HttpOnly, so every cookie a script of this page can
 * see was set by the analytics script (Matomo's _pk_id, for one): a withdrawal expires them.
 * Cookies the provider set on its own domain are out of reach; the settings tell the visitor so.
 */
const MARKER = 'data-mixgate-analytics';

function present(): HTMLScriptElement | null {
  return document.querySelector<HTMLScriptElement>(`script[${MARKER}]`);
}

/** Adds the script once; another call (a second layout mounting) finds it already there. */
export function loadAnalyticsScript(url: string): void {
  if (present()) return;
  const script = document.createElement('script');
  script.src = url;
  script.async = true;
  script.setAttribute(MARKER, '');
  document.head.appendChild(script);
}

/** After a withdrawal: removes the script and its cookies, and reloads when it ran in this page. */
export function unloadAnalyticsScript(): void {
  const script = present();
  if (!script) return;
  script.remove();
  expireScriptCookies();
  window.location.reload();
}

function expireScriptCookies(): void {
  const names = document.cookie
    .split(';')
    .map((pair) => pair.split('=')[0]!.trim())
    .filter(Boolean);
  // A cookie is only removed with the domain it was set for: the host and each parent domain.
  const labels = window.location.hostname.split('.');
  const domains = [
    '',
    ...labels.slice(0, -1).map((_, index) => `; domain=.${labels.slice(index).join('.')}`),
  ];
  for (const name of names) {
    for (const domain of domains) {
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from older Firefox and Safari.
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/${domain}`;
    }
  }
}

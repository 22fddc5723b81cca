/** Paths of the public legal pages, relative to the public URL (the web app and the mails share them). */

/** One version of a document, in a language when given. */
export function documentPath(type: string, version: string, language?: string): string {
  const query = new URLSearchParams(language === undefined ? { version } : { version, lang: language });
  return `/legal/${type}?${query}`;
}

/** What changed from version `from` to version `to`. */
export function changesPath(type: string, from: string, to: string): string {
  return `/legal/${type}/changes?${new URLSearchParams({ from, to })}`;
}

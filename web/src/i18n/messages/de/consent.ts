import type { Catalog } from '../en/index.js';

export const consent: Catalog['consent'] = {
  settingsLink: 'Cookie-Einstellungen',
  bannerLabel: 'Cookie-Einwilligung',
  bannerTitle: 'Cookies und Analyse',
  bannerText:
    'Wir verwenden notwendige Cookies, damit Sie angemeldet bleiben. Mit Ihrer Einwilligung würden wir zusätzlich eine Analyse nutzen, um zu verstehen, wie die Website verwendet wird. Über das Notwendige hinaus läuft nichts, bevor Sie zustimmen, und Sie können Ihre Wahl jederzeit unter „Cookie-Einstellungen“ ändern.',
  essentialOnly: 'Nur notwendige',
  acceptAnalytics: 'Analyse erlauben',
  choose: 'Auswählen',
  settingsTitle: 'Cookie-Einstellungen',
  essentialName: 'Notwendig',
  essentialDescription:
    'Hält Sie angemeldet (das Cookie mg_session) und speichert Ihre Sprache, Ihr Farbschema und diese Wahl im Speicher Ihres Browsers. Immer aktiv: Ohne sie funktioniert die Website nicht.',
  onlyEssential: 'Diese Website verwendet nur notwendige Cookies.',
  analyticsName: 'Analyse',
  analyticsDescription:
    'Zeigt dem Betreiber, wie die Website genutzt wird, über ein Analyseskript eines anderen Dienstes. Aus, solange Sie es nicht einschalten.',
  gpcNote:
    'Ihr Browser sendet das Signal Global Privacy Control, daher bleibt die Analyse aus. Um sie zu erlauben, schalten Sie das Signal in Ihrem Browser ab.',
  withdrawNote:
    'Wenn Sie die Analyse ausschalten, wird die Seite ohne sie neu geladen. Cookies, die der Analysedienst auf seiner eigenen Domain gesetzt hat, können Sie in den Einstellungen Ihres Browsers löschen.',
  decidedAt: 'Ihre aktuelle Wahl stammt vom {date}.',
  save: 'Auswahl speichern',
  saveFailed: 'Ihre Wahl wurde nicht gespeichert',
};

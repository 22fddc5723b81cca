import type { Catalog } from '../en/index.js';

export const common: Catalog['common'] = {
  loading: 'Wird geladen…',
  loadFailed: 'Konnte nicht geladen werden',
  networkError: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung.',
  serverAnswered: 'Der Server hat mit {status} geantwortet.',
  somethingWentWrong: 'Etwas ist schiefgelaufen.',
  tryAgain: 'Erneut versuchen',
  cancel: 'Abbrechen',
  optional: 'Optional',
  aiGenerated: 'KI-generiert',
  aiGeneratedTooltip: 'Von einem KI-Modell erzeugt. Der Inhalt kann ungenau sein.',
  reportTitle: 'Diese Ausgabe melden',
  reportIntro:
    'Teilen Sie dem Betreiber mit, was an dieser Antwort nicht stimmt. Er sieht die Meldung zusammen mit der Generierung, auf die sie sich bezieht.',
  reportReason: 'Grund',
  reportReasonIllegal: 'Rechtswidriger Inhalt',
  reportReasonHarmful: 'Schädlich oder beleidigend',
  reportReasonInaccurate: 'Ungenau oder irreführend',
  reportReasonPrivacy: 'Gibt personenbezogene Daten preis',
  reportReasonOther: 'Etwas anderes',
  reportDetails: 'Details',
  reportSend: 'Meldung senden',
  reportSent: 'Vielen Dank. Der Betreiber wird diese Ausgabe prüfen.',
  reportNotSent: 'Die Meldung wurde nicht gesendet',
};

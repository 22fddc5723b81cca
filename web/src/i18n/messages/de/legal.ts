import type { Catalog } from '../en/index.js';

export const legal: Catalog['legal'] = {
  terms: 'Nutzungsbedingungen',
  privacy: 'Datenschutzerklärung',
  allDocuments: 'Rechtliche Dokumente',
  aiNotice: 'Ausgaben werden von KI erzeugt und können ungenau sein.',
  gateTitle: 'Bevor Sie fortfahren',
  gateIntro: 'Bitte lesen und akzeptieren Sie die Dokumente, die Ihre Nutzung dieses Dienstes regeln:',
  documentVersion: '{name} (Version {version})',
  gateAccept: 'Ich habe sie gelesen und akzeptiere die Nutzungsbedingungen und die Datenschutzerklärung',
  ageConfirm: 'Ich bin mindestens 18 Jahre alt',
  continue: 'Weiter',
  signUpAccept:
    'Ich akzeptiere die {terms} (Version {termsVersion}) und habe die {privacy} (Version {privacyVersion}) gelesen',
};

import type { Catalog } from '../en/index.js';

export const legal: Catalog['legal'] = {
  terms: 'Conditions d’utilisation',
  privacy: 'Politique de confidentialité',
  allDocuments: 'Documents juridiques',
  aiNotice: 'Les résultats sont générés par IA et peuvent être inexacts.',
  gateTitle: 'Avant de continuer',
  gateIntro: 'Veuillez lire et accepter les documents qui encadrent votre utilisation de ce service :',
  documentVersion: '{name} (version {version})',
  gateAccept: 'Je les ai lus et j’accepte les Conditions d’utilisation et la Politique de confidentialité',
  ageConfirm: 'J’ai 18 ans ou plus',
  continue: 'Continuer',
  signUpAccept:
    'J’accepte les {terms} (version {termsVersion}) et j’ai lu la {privacy} (version {privacyVersion})',
};

import type { Catalog } from '../en/index.js';

export const consent: Catalog['consent'] = {
  settingsLink: 'Paramètres des cookies',
  bannerLabel: 'Consentement aux cookies',
  bannerTitle: 'Cookies et mesure d’audience',
  bannerText:
    'Nous utilisons des cookies essentiels pour vous garder connecté. Avec votre consentement, nous utiliserions aussi un outil de mesure d’audience pour comprendre comment le site est utilisé. Rien d’autre que l’essentiel ne fonctionne avant votre accord, et vous pouvez modifier votre choix à tout moment dans « Paramètres des cookies ».',
  essentialOnly: 'Essentiels uniquement',
  acceptAnalytics: 'Accepter la mesure d’audience',
  choose: 'Choisir',
  settingsTitle: 'Paramètres des cookies',
  essentialName: 'Essentiels',
  essentialDescription:
    'Vous garde connecté (le cookie mg_session) et mémorise votre langue, votre thème et ce choix dans le stockage de votre navigateur. Toujours actifs : le site ne peut pas fonctionner sans eux.',
  onlyEssential: 'Ce site n’utilise que des cookies essentiels.',
  analyticsName: 'Mesure d’audience',
  analyticsDescription:
    'Permet à l’opérateur de voir comment le site est utilisé, grâce à un script de mesure d’un autre service. Désactivée tant que vous ne l’activez pas.',
  gpcNote:
    'Votre navigateur envoie le signal Global Privacy Control : la mesure d’audience reste donc désactivée. Pour l’autoriser, désactivez ce signal dans votre navigateur.',
  withdrawNote:
    'Désactiver la mesure d’audience recharge la page sans elle. Les cookies que le service de mesure a déposés sur son propre domaine peuvent être supprimés dans les paramètres de votre navigateur.',
  decidedAt: 'Votre choix actuel date du {date}.',
  save: 'Enregistrer mes choix',
  saveFailed: 'Votre choix n’a pas été enregistré',
};

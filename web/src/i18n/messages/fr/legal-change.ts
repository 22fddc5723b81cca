import type { Catalog } from '../en/index.js';

export const legalChange: Catalog['legalChange'] = {
  upcoming: 'Nouvelle version : {title}, en vigueur à partir du {date}.',
  inEffect: 'Nouvelle version : {title}, en vigueur depuis le {date}.',
  acceptLater: 'Il vous sera demandé de l’accepter après cette date.',
  seeWhatChanges: 'Voir les changements',
  seeWhatChanged: 'Voir les changements',
  dismiss: 'Fermer cet avis',
  updatedFrom: 'mise à jour de la version {version}',
  diffTitle: 'Changements : {title}',
  diffVersions: 'Version {previous} comparée à la version {version}, en vigueur à partir du {date}.',
  diffFirstVersion: 'Version {version}, en vigueur à partir du {date}.',
  diffLegend: 'Le texte ajouté est souligné sur fond vert ; le texte supprimé est barré sur fond rouge.',
  addedStart: 'Ajouté :',
  addedEnd: 'Fin du texte ajouté.',
  removedStart: 'Supprimé :',
  removedEnd: 'Fin du texte supprimé.',
  omitted: 'texte inchangé omis',
  noChanges: 'Le texte est identique à celui de la version précédente.',
  fullVersion: 'Lire la nouvelle version complète',
  changesPage: 'Ouvrir cette comparaison dans une page',
  close: 'Fermer',
};

import type { Catalog } from '../en/index.js';

export const layout: Catalog['layout'] = {
  navChat: 'Chat',
  navStudio: 'Studio',
  navBilling: 'Facturation',
  navKeys: 'Clés API',
  navOrganisation: 'Organisation',
  navSettings: 'Paramètres',
  navPrivacy: 'Confidentialité',
  mainNavigation: 'Navigation principale',
  openNavigation: 'Ouvrir la navigation',
  balanceTooltip: 'Disponible maintenant ; {held} réservés pour les requêtes en cours',
  switchToDark: 'Passer au thème sombre',
  switchToLight: 'Passer au thème clair',
  accountMenu: 'Menu du compte',
  logOut: 'Se déconnecter',
  language: 'Langue',
  notFoundTitle: 'Page introuvable',
  notFoundText: 'Il n’y a rien à cette adresse.',
  goToChat: 'Aller au chat',
  routeErrorTitle: 'Cette page n’a pas pu être affichée',
  reload: 'Recharger',
};

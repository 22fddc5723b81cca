import type { Catalog } from '../en/index.js';

export const layout: Catalog['layout'] = {
  navChat: 'Chat',
  navStudio: 'Studio',
  navBilling: 'Abrechnung',
  navKeys: 'API-Schlüssel',
  navOrganisation: 'Organisation',
  navSettings: 'Einstellungen',
  navPrivacy: 'Datenschutz',
  mainNavigation: 'Hauptnavigation',
  openNavigation: 'Navigation öffnen',
  balanceTooltip: 'Jetzt verfügbar; {held} für laufende Anfragen reserviert',
  switchToDark: 'Zum dunklen Design wechseln',
  switchToLight: 'Zum hellen Design wechseln',
  accountMenu: 'Kontomenü',
  logOut: 'Abmelden',
  language: 'Sprache',
  notFoundTitle: 'Seite nicht gefunden',
  notFoundText: 'Unter dieser Adresse gibt es nichts.',
  goToChat: 'Zum Chat',
  routeErrorTitle: 'Diese Seite konnte nicht angezeigt werden',
  reload: 'Neu laden',
};

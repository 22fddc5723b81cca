import type { Catalog } from '../en/index.js';

export const legalChange: Catalog['legalChange'] = {
  upcoming: 'Neue Fassung: {title}, gültig ab {date}.',
  inEffect: 'Neue Fassung: {title}, gültig seit {date}.',
  acceptLater: 'Nach diesem Datum werden Sie gebeten, die neue Fassung zu akzeptieren.',
  seeWhatChanges: 'Änderungen ansehen',
  seeWhatChanged: 'Änderungen ansehen',
  dismiss: 'Hinweis schließen',
  updatedFrom: 'geändert gegenüber Version {version}',
  diffTitle: 'Änderungen: {title}',
  diffVersions: 'Version {previous} im Vergleich mit Version {version}, gültig ab {date}.',
  diffFirstVersion: 'Version {version}, gültig ab {date}.',
  diffLegend:
    'Hinzugefügter Text ist grün hinterlegt und unterstrichen, entfernter Text rot hinterlegt und durchgestrichen.',
  addedStart: 'Hinzugefügt:',
  addedEnd: 'Ende des hinzugefügten Texts.',
  removedStart: 'Entfernt:',
  removedEnd: 'Ende des entfernten Texts.',
  omitted: 'unveränderter Text ausgelassen',
  noChanges: 'Der Wortlaut ist derselbe wie in der vorigen Version.',
  fullVersion: 'Die vollständige neue Fassung lesen',
  changesPage: 'Diesen Vergleich als eigene Seite öffnen',
  close: 'Schließen',
};

import type { Catalog } from '../en/index.js';

export const legalChange: Catalog['legalChange'] = {
  upcoming: 'Nueva versión: {title}, en vigor a partir del {date}.',
  inEffect: 'Nueva versión: {title}, en vigor desde el {date}.',
  acceptLater: 'Se te pedirá que la aceptes después de esa fecha.',
  seeWhatChanges: 'Ver los cambios',
  seeWhatChanged: 'Ver los cambios',
  dismiss: 'Cerrar este aviso',
  updatedFrom: 'actualizada desde la versión {version}',
  diffTitle: 'Cambios: {title}',
  diffVersions: 'Versión {previous} comparada con la versión {version}, en vigor a partir del {date}.',
  diffFirstVersion: 'Versión {version}, en vigor a partir del {date}.',
  diffLegend: 'El texto añadido aparece subrayado sobre fondo verde; el eliminado, tachado sobre fondo rojo.',
  addedStart: 'Añadido:',
  addedEnd: 'Fin del texto añadido.',
  removedStart: 'Eliminado:',
  removedEnd: 'Fin del texto eliminado.',
  omitted: 'texto sin cambios omitido',
  noChanges: 'El texto es igual al de la versión anterior.',
  fullVersion: 'Leer la nueva versión completa',
  changesPage: 'Abrir esta comparación en su propia página',
  close: 'Cerrar',
};

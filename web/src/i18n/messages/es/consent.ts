import type { Catalog } from '../en/index.js';

export const consent: Catalog['consent'] = {
  settingsLink: 'Configuración de cookies',
  bannerLabel: 'Consentimiento de cookies',
  bannerTitle: 'Cookies y analítica',
  bannerText:
    'Usamos cookies esenciales para mantener tu sesión iniciada. Con tu consentimiento, también usaríamos analítica para saber cómo se usa el sitio. Nada más allá de lo esencial se ejecuta hasta que aceptes, y puedes cambiar tu elección en cualquier momento en «Configuración de cookies».',
  essentialOnly: 'Solo esenciales',
  acceptAnalytics: 'Aceptar analítica',
  choose: 'Elegir',
  settingsTitle: 'Configuración de cookies',
  essentialName: 'Esenciales',
  essentialDescription:
    'Mantienen tu sesión iniciada (la cookie mg_session) y recuerdan tu idioma, tu tema y esta elección en el almacenamiento de tu navegador. Siempre activas: el sitio no funciona sin ellas.',
  onlyEssential: 'Este sitio solo usa cookies esenciales.',
  analyticsName: 'Analítica',
  analyticsDescription:
    'Permite al operador ver cómo se usa el sitio, mediante un script de analítica de otro servicio. Desactivada salvo que la actives.',
  gpcNote:
    'Tu navegador envía la señal Global Privacy Control, así que la analítica sigue desactivada. Para permitirla, desactiva la señal en tu navegador.',
  withdrawNote:
    'Al desactivar la analítica, la página se recarga sin ella. Las cookies que el servicio de analítica haya puesto en su propio dominio se pueden borrar en la configuración de tu navegador.',
  decidedAt: 'Tu elección actual es del {date}.',
  save: 'Guardar elección',
  saveFailed: 'No se guardó tu elección',
};

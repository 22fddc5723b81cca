import type { Catalog } from '../en/index.js';

export const layout: Catalog['layout'] = {
  navChat: 'Chat',
  navStudio: 'Estudio',
  navBilling: 'Facturación',
  navKeys: 'Claves de API',
  navOrganisation: 'Organización',
  navSettings: 'Ajustes',
  navPrivacy: 'Privacidad',
  mainNavigation: 'Navegación principal',
  openNavigation: 'Abrir la navegación',
  balanceTooltip: 'Disponible ahora; {held} retenidos para solicitudes en curso',
  switchToDark: 'Cambiar al tema oscuro',
  switchToLight: 'Cambiar al tema claro',
  accountMenu: 'Menú de la cuenta',
  logOut: 'Cerrar sesión',
  language: 'Idioma',
  notFoundTitle: 'Página no encontrada',
  notFoundText: 'No hay nada en esta dirección.',
  goToChat: 'Ir al chat',
  routeErrorTitle: 'No se ha podido mostrar esta página',
  reload: 'Recargar',
};

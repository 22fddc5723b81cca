import type { Catalog } from '../en/index.js';

export const termination: Catalog['termination'] = {
  closeAccountTitle: 'Cerrar mi cuenta',
  closeAccountWhat:
    'Al cerrarla, su uso del servicio termina de inmediato: se cierran todas sus sesiones, sus claves de API dejan de funcionar y no se cobra nada más.',
  closeAccountContent:
    'Sus conversaciones, archivos y demás contenidos se conservan {days} días y después se eliminan. Hasta entonces, el operador puede reabrir su cuenta si usted lo pide.',
  closeAccountVersusDelete:
    'Si prefiere que sus datos se eliminen ahora, sin ese plazo, use «Eliminar mi cuenta».',
  closeAccountBalance: 'Su saldo restante es de {amount}.',
  closeAccountRefund:
    'Cerrar la cuenta no lo reembolsa: para pedir el reembolso de lo que queda, siga la {policy}.',
  refundPolicyLink: 'política de reembolsos',
  closeAccountButton: 'Cerrar mi cuenta',
  closeAccountModalTitle: '¿Cerrar su cuenta?',
  closeAccountModalText:
    'Su sesión se cerrará de inmediato y su cuenta dejará de funcionar. Sus contenidos se eliminarán pasados {days} días. Introduzca su contraseña para confirmar.',
  closeAccountModalConfirm: 'Cerrar mi cuenta',
  ownsOrganisationWithMembers:
    'Es propietario de una organización que otros miembros todavía usan. Nombre primero propietario a uno de ellos (en la página de la organización) y después cierre su cuenta.',
  closedTitle: 'Su cuenta está cerrada',
  closedText: 'Se ha cerrado su sesión y su cuenta ya no se puede usar.',
  closedDeletion:
    'Sus contenidos se eliminarán después del {date}. Hasta entonces, el operador puede reabrir su cuenta si usted lo pide.',
  closedMail: 'Le hemos enviado un correo electrónico que confirma el cierre.',
  closedRefund: 'Para pedir el reembolso de su saldo restante, siga la {policy}.',
  toLogIn: 'Ir a la página de inicio de sesión',
  dangerZone: 'Zona de peligro',
  closeOrganisationTitle: 'Cerrar {name}',
  closeOrganisationText:
    'El gasto se detiene de inmediato para todos los miembros, en la aplicación y con sus claves de API. Sus contenidos se eliminan pasados {days} días, y se avisa a cada miembro por correo electrónico.',
  closeOrganisationButton: 'Cerrar la organización',
  closeOrganisationModalTitle: '¿Cerrar {name}?',
  closeOrganisationModalText:
    'El gasto se detiene de inmediato para todos los miembros, sus contenidos se eliminan pasados {days} días y se avisa a los miembros por correo electrónico. Introduzca su contraseña para confirmar.',
  closeOrganisationModalConfirm: 'Cerrar la organización',
  organisationClosedTitle: 'Esta organización está cerrada',
  organisationClosedText: 'Ya no se puede gastar nada a través de ella.',
  organisationClosedDeletion: 'Sus contenidos se eliminarán después del {date}.',
  organisationClosedNotice: '{name} está cerrada',
  organisationClosedNoticeText: 'Se está avisando a sus miembros por correo electrónico.',
};

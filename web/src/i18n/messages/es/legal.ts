import type { Catalog } from '../en/index.js';

export const legal: Catalog['legal'] = {
  terms: 'Condiciones del servicio',
  privacy: 'Política de privacidad',
  allDocuments: 'Documentos legales',
  aiNotice: 'Los resultados los genera una IA y pueden ser inexactos.',
  gateTitle: 'Antes de continuar',
  gateIntro: 'Lea y acepte los documentos que rigen el uso de este servicio:',
  documentVersion: '{name} (versión {version})',
  gateAccept: 'Los he leído y acepto las Condiciones del servicio y la Política de privacidad',
  ageConfirm: 'Tengo 18 años o más',
  continue: 'Continuar',
  signUpAccept:
    'Acepto las {terms} (versión {termsVersion}) y he leído la {privacy} (versión {privacyVersion})',
};

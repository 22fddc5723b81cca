import type { Catalog } from '../en/index.js';

export const common: Catalog['common'] = {
  loading: 'Cargando…',
  loadFailed: 'No se ha podido cargar',
  networkError: 'No se ha podido conectar con el servidor. Compruebe su conexión.',
  serverAnswered: 'El servidor ha respondido {status}.',
  somethingWentWrong: 'Algo ha fallado.',
  tryAgain: 'Reintentar',
  cancel: 'Cancelar',
  optional: 'Opcional',
  aiGenerated: 'Generado por IA',
  aiGeneratedTooltip: 'Generado por un modelo de IA. Puede ser inexacto.',
  reportTitle: 'Denunciar este resultado',
  reportIntro:
    'Indique al operador qué falla en esta respuesta. Verá la denuncia junto con la generación a la que se refiere.',
  reportReason: 'Motivo',
  reportReasonIllegal: 'Contenido ilegal',
  reportReasonHarmful: 'Dañino u ofensivo',
  reportReasonInaccurate: 'Inexacto o engañoso',
  reportReasonPrivacy: 'Revela datos personales',
  reportReasonOther: 'Otro motivo',
  reportDetails: 'Detalles',
  reportSend: 'Enviar denuncia',
  reportSent: 'Gracias. El operador revisará este resultado.',
  reportNotSent: 'No se ha enviado la denuncia',
};

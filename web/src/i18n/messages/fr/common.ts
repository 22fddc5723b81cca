import type { Catalog } from '../en/index.js';

export const common: Catalog['common'] = {
  loading: 'Chargement…',
  loadFailed: 'Impossible de charger ce contenu',
  networkError: 'Impossible de joindre le serveur. Vérifiez votre connexion.',
  serverAnswered: 'Le serveur a répondu {status}.',
  somethingWentWrong: 'Une erreur s’est produite.',
  tryAgain: 'Réessayer',
  cancel: 'Annuler',
  optional: 'Facultatif',
  aiGenerated: 'Généré par IA',
  aiGeneratedTooltip: 'Généré par un modèle d’IA. Le contenu peut être inexact.',
  reportTitle: 'Signaler ce résultat',
  reportIntro:
    'Indiquez à l’opérateur ce qui ne va pas dans cette réponse. Il voit le signalement avec la génération concernée.',
  reportReason: 'Motif',
  reportReasonIllegal: 'Contenu illicite',
  reportReasonHarmful: 'Préjudiciable ou abusif',
  reportReasonInaccurate: 'Inexact ou trompeur',
  reportReasonPrivacy: 'Révèle des données personnelles',
  reportReasonOther: 'Autre chose',
  reportDetails: 'Détails',
  reportSend: 'Envoyer le signalement',
  reportSent: 'Merci. L’opérateur examinera ce résultat.',
  reportNotSent: 'Le signalement n’a pas été envoyé',
};

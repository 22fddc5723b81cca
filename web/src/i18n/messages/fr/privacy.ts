import type { Catalog } from '../en/index.js';

export const privacy: Catalog['privacy'] = {
  title: 'Confidentialité',
  intro: 'Vos données, vos droits au titre du RGPD et les demandes que vous avez faites.',
  yourDataTitle: 'Vos données',
  yourDataText:
    'La {policy} explique ce que nous conservons à votre sujet, pourquoi et pendant combien de temps ; la {list} indique les fournisseurs d’IA auxquels vos requêtes sont envoyées. Vous pouvez exercer vos droits ici : nous répondons dans un délai d’un mois.',
  policyLink: 'politique de confidentialité',
  subProcessorList: 'liste des sous-traitants',
  password: 'Mot de passe',
  passwordHint: 'Le mot de passe de votre compte, pour confirmer que la demande vient de vous',
  enterPassword: 'Saisissez votre mot de passe',
  wrongPassword: 'Le mot de passe est incorrect',
  alreadyOpen: 'Vous avez déjà une demande de ce type en cours. Elle figure sous « Vos demandes ».',
  exportTitle: 'Télécharger mes données',
  exportText:
    'Une copie de tout ce que nous conservons à votre sujet, sous forme d’archive ZIP : un fichier JSON par type de données, vos fichiers et un fichier README qui les explique. Nous la préparons généralement en quelques minutes et vous prévenons par e-mail ; elle peut ensuite être téléchargée pendant 7 jours.',
  exportRequest: 'Demander mes données',
  exportAgain: 'Demander une nouvelle copie',
  exportPreparing:
    'Votre copie, demandée le {date}, est en cours de préparation. Nous vous préviendrons par e-mail lorsqu’elle sera prête.',
  exportModalTitle: 'Demander une copie de vos données',
  exportModalText:
    'Saisissez votre mot de passe pour confirmer la demande. Nous préparerons l’archive et vous préviendrons par e-mail.',
  exportModalConfirm: 'Demander la copie',
  exportRequested: 'Demande reçue',
  exportRequestedText: 'Votre archive est en cours de préparation. Elle apparaîtra sous « Vos demandes ».',
  download: 'Télécharger',
  availableUntil: 'Disponible jusqu’au {date}',
  exportExpired: 'Expirée le {date} : demandez une nouvelle copie si besoin.',
  exportGone: 'Cette copie a expiré et a été supprimée. Demandez-en une nouvelle.',
  downloadFailed: 'Échec du téléchargement',
  otherRightsTitle: 'Vos autres droits',
  otherRightsText:
    'Demandez-nous de rectifier vos données, d’en limiter ou d’en arrêter le traitement, ou retirez un consentement. Notre équipe examine la demande et répond dans un délai d’un mois.',
  whichRight: 'Que souhaitez-vous demander ?',
  rectificationText:
    'Une information que nous détenons à votre sujet est inexacte ou incomplète (art. 16 du RGPD).',
  restrictionText:
    'Nous conservons vos données mais cessons temporairement de les utiliser, par exemple pendant la vérification de leur exactitude (art. 18 du RGPD).',
  objectionText: 'Vous vous opposez à un traitement fondé sur nos intérêts légitimes (art. 21 du RGPD).',
  consentWithdrawalText:
    'Vous retirez un consentement donné ; ce qui a été fait auparavant reste licite (art. 7, paragraphe 3, du RGPD).',
  details: 'Précisions',
  detailsHint: 'Que devons-nous rectifier, de quel traitement s’agit-il ? Avec vos propres mots.',
  detailsTooLong: 'Utilisez au maximum {max} caractères',
  sendRequest: 'Envoyer la demande',
  requestSent: 'Demande envoyée',
  requestSentText:
    'Notre équipe vous répondra dans un délai d’un mois. Vous pouvez la suivre sous « Vos demandes ».',
  typeAccess: 'Copie de mes données',
  typeErasure: 'Suppression de mon compte',
  typeRectification: 'Rectifier mes données',
  typeRestriction: 'Limiter le traitement',
  typeObjection: 'M’opposer au traitement',
  typeConsentWithdrawal: 'Retirer mon consentement',
  statusAwaitingVerification: 'En attente de confirmation',
  statusInProgress: 'En cours',
  statusCompleted: 'Terminée',
  statusRejected: 'Refusée',
  requestsTitle: 'Vos demandes',
  requestsEmpty: 'Aucune demande pour le moment',
  requestsEmptyText:
    'Les demandes que vous faites ici, par e-mail ou par courrier, figurent ici avec leurs échéances.',
  columnRequest: 'Demande',
  columnStatus: 'Statut',
  columnReceived: 'Reçue le',
  columnDue: 'Échéance',
  columnActions: 'Actions',
  receivedOn: 'Reçue le {date}',
  dueBy: 'Échéance : {date}',
  enteredByStaff: 'Reçue par e-mail ou par courrier',
  closedOn: 'Le {date}',
  awaitingConfirmation: 'Confirmez-la avec le lien que nous vous avons envoyé par e-mail.',
  beingPrepared: 'En préparation',
  whereTitle: 'Où sont allées vos données',
  whereText:
    'Ce que vous envoyez à un modèle est transmis au fournisseur d’IA qui y répond. Voici les fournisseurs utilisés, le lieu où ils traitent les données et la garantie qui encadre un transfert hors de l’Espace économique européen (également dans la {list}).',
  columnProvider: 'Fournisseur',
  columnRegion: 'Région',
  columnRetention: 'Conservation',
  columnSafeguard: 'Garantie de transfert',
  retentionNone: 'Aucune (zéro conservation)',
  retentionLimited: 'Limitée, selon ses conditions',
  safeguardNotNeeded: 'Non nécessaire',
  noProviders: 'Aucun fournisseur d’IA n’est configuré pour le moment.',
  generationNote:
    'Chaque requête enregistre le fournisseur qui l’a reçue : le détail d’une génération ({endpoint}) l’indique.',
  deleteTitle: 'Supprimer mon compte et mes données',
  deleteWhat:
    'Sont supprimés : votre compte et votre profil, vos conversations, requêtes et réponses, vos fichiers importés et générés, vos clés API, sessions et paramètres, ainsi que vos adhésions à des organisations.',
  deleteKeptTitle: 'Ce qui est conservé, sans votre nom ni votre adresse e-mail :',
  deleteKeptBilling:
    'Les pièces de facturation (transactions et utilisation), pendant 5 ans, comme l’exige le droit comptable.',
  deleteKeptLegal:
    'La trace des documents que vous avez acceptés et de vos demandes relatives à vos données, pour démontrer que nous avons agi dans le respect de la loi.',
  deleteKeptSecurity: 'Les entrées du journal de sécurité, jusqu’à la fin de leur durée de conservation.',
  deleteHow:
    'Vous êtes déconnecté partout immédiatement et vos clés API cessent de fonctionner. Nous envoyons un récépissé à votre adresse e-mail une fois la suppression terminée. Si vous êtes propriétaire d’une organisation utilisée par d’autres, transférez-la d’abord.',
  deleteFinal: 'Cette action est irréversible.',
  deleteButton: 'Supprimer mon compte',
  deleteModalTitle: 'Supprimer définitivement votre compte ?',
  deleteModalText:
    'Votre compte est bloqué immédiatement et ses données sont supprimées. Saisissez votre adresse e-mail et votre mot de passe pour confirmer.',
  typeToConfirm: 'Saisissez {text} pour confirmer',
  typedMismatch: 'Saisissez exactement {text}',
  deleteModalConfirm: 'Supprimer mon compte',
  deletedTitle: 'Votre compte est en cours de suppression',
  deletedText:
    'Vous avez été déconnecté et votre compte ne peut plus être utilisé. Ses données sont en cours de suppression.',
  deletedDates: 'Demande reçue le {received} ; elle sera traitée au plus tard le {due}.',
  deletedReceipt:
    'Nous vous enverrons par e-mail un récépissé indiquant ce qui a été supprimé et ce qui a été conservé.',
  toLogIn: 'Aller à la page de connexion',
  confirmTitle: 'Confirmez votre demande',
  confirmText:
    'Nous avons reçu par e-mail ou par courrier une demande relative aux données de votre compte. Confirmez qu’elle vient de vous, et nous la traiterons.',
  confirmNotYou:
    'S’il s’agit d’une demande de suppression de votre compte, la confirmation le supprime. Si vous n’êtes pas à l’origine de cette demande, fermez cette page.',
  confirmButton: 'Confirmer la demande',
  confirmedTitle: 'Demande confirmée',
  confirmedText: 'Nous traitons votre demande ({type}). Elle sera terminée au plus tard le {due}.',
  confirmedErasure:
    'Votre compte est désormais bloqué et ses données sont en cours de suppression. Nous vous enverrons un récépissé par e-mail.',
  toPrivacyPage: 'Aller à la page Confidentialité',
  confirmFailedTitle: 'Demande non confirmée',
  confirmIncomplete: 'Ce lien est incomplet : ouvrez-le depuis l’e-mail.',
  confirmInvalid: 'Ce lien n’est pas valide, a déjà été utilisé ou a expiré.',
  confirmFailedText:
    'Si vous souhaitez toujours faire cette demande, écrivez-nous ou faites-la depuis la page Confidentialité.',
};

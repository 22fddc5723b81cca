import type { Catalog } from '../en/index.js';

export const termination: Catalog['termination'] = {
  closeAccountTitle: 'Fermer mon compte',
  closeAccountWhat:
    'La fermeture met fin immédiatement à votre utilisation du service : vous êtes déconnecté partout, vos clés d’API cessent de fonctionner et plus rien n’est facturé.',
  closeAccountContent:
    'Vos conversations, fichiers et autres contenus sont conservés {days} jours, puis supprimés. D’ici là, l’opérateur peut rouvrir votre compte si vous le demandez.',
  closeAccountVersusDelete:
    'Pour que vos données soient supprimées tout de suite, sans ce délai, utilisez plutôt « Supprimer mon compte ».',
  closeAccountBalance: 'Votre solde restant est de {amount}.',
  closeAccountRefund:
    'La fermeture ne le rembourse pas : pour demander le remboursement du reste, suivez la {policy}.',
  refundPolicyLink: 'politique de remboursement',
  closeAccountButton: 'Fermer mon compte',
  closeAccountModalTitle: 'Fermer votre compte ?',
  closeAccountModalText:
    'Vous serez déconnecté immédiatement et votre compte cessera de fonctionner. Vos contenus seront supprimés au bout de {days} jours. Saisissez votre mot de passe pour confirmer.',
  closeAccountModalConfirm: 'Fermer mon compte',
  ownsOrganisationWithMembers:
    'Vous êtes propriétaire d’une organisation que d’autres membres utilisent encore. Désignez d’abord l’un d’eux comme propriétaire (sur la page de l’organisation), puis fermez votre compte.',
  closedTitle: 'Votre compte est fermé',
  closedText: 'Vous avez été déconnecté et votre compte ne peut plus être utilisé.',
  closedDeletion:
    'Vos contenus seront supprimés après le {date}. D’ici là, l’opérateur peut rouvrir votre compte si vous le demandez.',
  closedMail: 'Nous vous avons envoyé un e-mail confirmant la fermeture.',
  closedRefund: 'Pour demander le remboursement de votre solde restant, suivez la {policy}.',
  toLogIn: 'Aller à la page de connexion',
  dangerZone: 'Zone de danger',
  closeOrganisationTitle: 'Fermer {name}',
  closeOrganisationText:
    'Les dépenses s’arrêtent immédiatement pour tous les membres, dans l’application comme avec leurs clés d’API. Ses contenus sont supprimés au bout de {days} jours, et chaque membre est prévenu par e-mail.',
  closeOrganisationButton: 'Fermer l’organisation',
  closeOrganisationModalTitle: 'Fermer {name} ?',
  closeOrganisationModalText:
    'Les dépenses s’arrêtent immédiatement pour tous les membres, ses contenus sont supprimés au bout de {days} jours et les membres sont prévenus par e-mail. Saisissez votre mot de passe pour confirmer.',
  closeOrganisationModalConfirm: 'Fermer l’organisation',
  organisationClosedTitle: 'Cette organisation est fermée',
  organisationClosedText: 'Plus rien ne peut être dépensé par son intermédiaire.',
  organisationClosedDeletion: 'Ses contenus seront supprimés après le {date}.',
  organisationClosedNotice: '{name} est fermée',
  organisationClosedNoticeText: 'Ses membres sont prévenus par e-mail.',
};

import type { Catalog } from '../en/index.js';

export const termination: Catalog['termination'] = {
  closeAccountTitle: 'Mein Konto schließen',
  closeAccountWhat:
    'Mit dem Schließen endet Ihre Nutzung des Dienstes sofort: Sie werden überall abgemeldet, Ihre API-Schlüssel funktionieren nicht mehr und es wird nichts mehr abgerechnet.',
  closeAccountContent:
    'Ihre Unterhaltungen, Dateien und sonstigen Inhalte werden {days} Tage lang aufbewahrt und dann gelöscht. Bis dahin kann der Betreiber Ihr Konto auf Ihre Bitte wieder öffnen.',
  closeAccountVersusDelete:
    'Wenn Ihre Daten stattdessen sofort und ohne diese Frist gelöscht werden sollen, nutzen Sie „Mein Konto löschen“.',
  closeAccountBalance: 'Ihr verbleibendes Guthaben beträgt {amount}.',
  closeAccountRefund:
    'Durch das Schließen wird es nicht ausgezahlt: Wie Sie eine Erstattung des Restbetrags beantragen, steht in der {policy}.',
  refundPolicyLink: 'Erstattungsrichtlinie',
  closeAccountButton: 'Mein Konto schließen',
  closeAccountModalTitle: 'Ihr Konto schließen?',
  closeAccountModalText:
    'Sie werden sofort abgemeldet und Ihr Konto funktioniert nicht mehr. Ihre Inhalte werden nach {days} Tagen gelöscht. Geben Sie zur Bestätigung Ihr Passwort ein.',
  closeAccountModalConfirm: 'Mein Konto schließen',
  ownsOrganisationWithMembers:
    'Sie sind Inhaber einer Organisation, die noch von anderen Mitgliedern genutzt wird. Machen Sie zuerst eines von ihnen zum Inhaber (auf der Seite der Organisation) und schließen Sie dann Ihr Konto.',
  closedTitle: 'Ihr Konto ist geschlossen',
  closedText: 'Sie wurden abgemeldet, und Ihr Konto kann nicht mehr verwendet werden.',
  closedDeletion:
    'Ihre Inhalte werden nach dem {date} gelöscht. Bis dahin kann der Betreiber Ihr Konto auf Ihre Bitte wieder öffnen.',
  closedMail: 'Wir haben Ihnen eine E-Mail zur Bestätigung der Schließung gesendet.',
  closedRefund: 'Wie Sie eine Erstattung Ihres verbleibenden Guthabens beantragen, steht in der {policy}.',
  toLogIn: 'Zur Anmeldeseite',
  dangerZone: 'Gefahrenbereich',
  closeOrganisationTitle: '{name} schließen',
  closeOrganisationText:
    'Für alle Mitglieder endet das Ausgeben sofort, in der App und über ihre API-Schlüssel. Die Inhalte der Organisation werden nach {days} Tagen gelöscht, und jedes Mitglied wird per E-Mail informiert.',
  closeOrganisationButton: 'Organisation schließen',
  closeOrganisationModalTitle: '{name} schließen?',
  closeOrganisationModalText:
    'Für alle Mitglieder endet das Ausgeben sofort, die Inhalte werden nach {days} Tagen gelöscht, und die Mitglieder werden per E-Mail informiert. Geben Sie zur Bestätigung Ihr Passwort ein.',
  closeOrganisationModalConfirm: 'Organisation schließen',
  organisationClosedTitle: 'Diese Organisation ist geschlossen',
  organisationClosedText: 'Über sie kann nichts mehr ausgegeben werden.',
  organisationClosedDeletion: 'Ihre Inhalte werden nach dem {date} gelöscht.',
  organisationClosedNotice: '{name} ist geschlossen',
  organisationClosedNoticeText: 'Die Mitglieder werden per E-Mail informiert.',
};

import type { Catalog } from '../en/index.js';

export const privacy: Catalog['privacy'] = {
  title: 'Datenschutz',
  intro: 'Ihre Daten, Ihre Rechte nach der DSGVO und die Anträge, die Sie gestellt haben.',
  yourDataTitle: 'Ihre Daten',
  yourDataText:
    'Die {policy} erklärt, was wir über Sie speichern, warum und wie lange; die {list} nennt die KI-Anbieter, an die Ihre Anfragen gehen. Hier können Sie Ihre Rechte ausüben: Wir antworten innerhalb eines Monats.',
  policyLink: 'Datenschutzerklärung',
  subProcessorList: 'Liste der Unterauftragsverarbeiter',
  password: 'Passwort',
  passwordHint: 'Ihr Kontopasswort, zur Bestätigung, dass der Antrag von Ihnen stammt',
  enterPassword: 'Geben Sie Ihr Passwort ein',
  wrongPassword: 'Das Passwort ist nicht korrekt',
  alreadyOpen: 'Sie haben bereits einen offenen Antrag dieser Art. Er ist unter „Ihre Anträge“ aufgeführt.',
  exportTitle: 'Meine Daten herunterladen',
  exportText:
    'Eine Kopie aller Daten, die wir über Sie speichern, als ZIP-Archiv: eine JSON-Datei je Datenart, Ihre Dateien und eine README-Datei, die alles erklärt. Wir erstellen sie meist innerhalb weniger Minuten und benachrichtigen Sie per E-Mail; danach kann sie 7 Tage lang heruntergeladen werden.',
  exportRequest: 'Meine Daten anfordern',
  exportAgain: 'Neue Kopie anfordern',
  exportPreparing:
    'Ihre am {date} angeforderte Kopie wird erstellt. Wir benachrichtigen Sie per E-Mail, sobald sie bereitsteht.',
  exportModalTitle: 'Kopie Ihrer Daten anfordern',
  exportModalText:
    'Geben Sie Ihr Passwort ein, um den Antrag zu bestätigen. Wir erstellen das Archiv und benachrichtigen Sie per E-Mail.',
  exportModalConfirm: 'Kopie anfordern',
  exportRequested: 'Antrag eingegangen',
  exportRequestedText: 'Ihr Archiv wird erstellt. Es erscheint unter „Ihre Anträge“.',
  download: 'Herunterladen',
  availableUntil: 'Verfügbar bis {date}',
  exportExpired: 'Abgelaufen am {date}: Fordern Sie bei Bedarf eine neue Kopie an.',
  exportGone: 'Diese Kopie ist abgelaufen und wurde gelöscht. Fordern Sie eine neue an.',
  downloadFailed: 'Herunterladen fehlgeschlagen',
  otherRightsTitle: 'Ihre weiteren Rechte',
  otherRightsText:
    'Bitten Sie uns, Ihre Daten zu berichtigen, ihre Verarbeitung einzuschränken oder zu beenden, oder widerrufen Sie eine Einwilligung. Unser Team prüft den Antrag und antwortet innerhalb eines Monats.',
  whichRight: 'Was möchten Sie beantragen?',
  rectificationText: 'Etwas, das wir über Sie speichern, ist falsch oder unvollständig (Art. 16 DSGVO).',
  restrictionText:
    'Wir bewahren Ihre Daten auf, verwenden sie aber vorübergehend nicht, etwa während ihre Richtigkeit geprüft wird (Art. 18 DSGVO).',
  objectionText:
    'Sie widersprechen einer Verarbeitung, die auf unseren berechtigten Interessen beruht (Art. 21 DSGVO).',
  consentWithdrawalText:
    'Sie widerrufen eine erteilte Einwilligung; was zuvor geschah, bleibt rechtmäßig (Art. 7 Abs. 3 DSGVO).',
  details: 'Einzelheiten',
  detailsHint: 'Was sollen wir berichtigen, um welche Verarbeitung geht es? In Ihren eigenen Worten.',
  detailsTooLong: 'Verwenden Sie höchstens {max} Zeichen',
  sendRequest: 'Antrag senden',
  requestSent: 'Antrag gesendet',
  requestSentText: 'Unser Team antwortet innerhalb eines Monats. Den Stand sehen Sie unter „Ihre Anträge“.',
  typeAccess: 'Kopie meiner Daten',
  typeErasure: 'Löschung meines Kontos',
  typeRectification: 'Daten berichtigen',
  typeRestriction: 'Verarbeitung einschränken',
  typeObjection: 'Widerspruch gegen die Verarbeitung',
  typeConsentWithdrawal: 'Einwilligung widerrufen',
  statusAwaitingVerification: 'Wartet auf Bestätigung',
  statusInProgress: 'In Bearbeitung',
  statusCompleted: 'Abgeschlossen',
  statusRejected: 'Abgelehnt',
  requestsTitle: 'Ihre Anträge',
  requestsEmpty: 'Noch keine Anträge',
  requestsEmptyText:
    'Die Anträge, die Sie hier oder per E-Mail oder Post stellen, werden mit ihren Fristen aufgeführt.',
  columnRequest: 'Antrag',
  columnStatus: 'Status',
  columnReceived: 'Eingegangen',
  columnDue: 'Fällig bis',
  columnActions: 'Aktionen',
  receivedOn: 'Eingegangen am {date}',
  dueBy: 'Fällig bis {date}',
  enteredByStaff: 'Per E-Mail oder Post eingegangen',
  closedOn: 'Am {date}',
  awaitingConfirmation: 'Bestätigen Sie ihn über den Link, den wir Ihnen per E-Mail gesendet haben.',
  beingPrepared: 'Wird erstellt',
  whereTitle: 'Wohin Ihre Daten gingen',
  whereText:
    'Was Sie an ein Modell senden, geht an den KI-Anbieter, der es beantwortet. Dies sind die genutzten Anbieter, wo sie Daten verarbeiten und wie eine Übermittlung außerhalb des Europäischen Wirtschaftsraums abgesichert ist (auch in der {list}).',
  columnProvider: 'Anbieter',
  columnRegion: 'Region',
  columnRetention: 'Speicherung',
  columnSafeguard: 'Garantie für die Übermittlung',
  retentionNone: 'Keine (Zero Retention)',
  retentionLimited: 'Begrenzt, nach seinen Bedingungen',
  safeguardNotNeeded: 'Nicht erforderlich',
  noProviders: 'Derzeit ist kein KI-Anbieter eingerichtet.',
  generationNote:
    'Jede Anfrage hält fest, welcher Anbieter sie erhalten hat: Die Details einer Generierung ({endpoint}) zeigen es.',
  deleteTitle: 'Mein Konto und meine Daten löschen',
  deleteWhat:
    'Gelöscht werden Ihr Konto und Profil, Ihre Unterhaltungen, Eingaben und Ausgaben, Ihre hochgeladenen und erzeugten Dateien, Ihre API-Schlüssel, Sitzungen und Einstellungen sowie Ihre Mitgliedschaften in Organisationen.',
  deleteKeptTitle: 'Was ohne Ihren Namen und Ihre E-Mail-Adresse aufbewahrt wird:',
  deleteKeptBilling:
    'Abrechnungsunterlagen (Buchungen und Nutzung) für 5 Jahre, wie es das Buchhaltungsrecht verlangt.',
  deleteKeptLegal:
    'Der Nachweis der von Ihnen akzeptierten Dokumente und Ihrer Datenschutzanträge, um zu belegen, dass wir rechtmäßig gehandelt haben.',
  deleteKeptSecurity: 'Einträge im Sicherheitsprotokoll, bis ihre Aufbewahrungsfrist endet.',
  deleteHow:
    'Sie werden sofort überall abgemeldet, und Ihre API-Schlüssel funktionieren nicht mehr. Nach Abschluss der Löschung senden wir eine Bestätigung an Ihre E-Mail-Adresse. Wenn Sie eine Organisation besitzen, die andere nutzen, übertragen Sie sie zuerst.',
  deleteFinal: 'Dies kann nicht rückgängig gemacht werden.',
  deleteButton: 'Mein Konto löschen',
  deleteModalTitle: 'Ihr Konto endgültig löschen?',
  deleteModalText:
    'Ihr Konto wird sofort gesperrt und seine Daten werden gelöscht. Geben Sie zur Bestätigung Ihre E-Mail-Adresse und Ihr Passwort ein.',
  typeToConfirm: 'Geben Sie zur Bestätigung {text} ein',
  typedMismatch: 'Geben Sie genau {text} ein',
  deleteModalConfirm: 'Mein Konto löschen',
  deletedTitle: 'Ihr Konto wird gelöscht',
  deletedText:
    'Sie wurden abgemeldet, und Ihr Konto kann nicht mehr verwendet werden. Seine Daten werden gelöscht.',
  deletedDates: 'Antrag eingegangen am {received}; er wird spätestens am {due} abgeschlossen sein.',
  deletedReceipt:
    'Wir senden Ihnen per E-Mail eine Bestätigung, die aufführt, was gelöscht und was aufbewahrt wurde.',
  toLogIn: 'Zur Anmeldeseite',
  confirmTitle: 'Datenschutzantrag bestätigen',
  confirmText:
    'Wir haben per E-Mail oder Post einen Datenschutzantrag für Ihr Konto erhalten. Bestätigen Sie, dass er von Ihnen stammt, und wir beginnen mit der Bearbeitung.',
  confirmNotYou:
    'Handelt es sich um einen Antrag auf Löschung Ihres Kontos, wird es mit der Bestätigung gelöscht. Wenn Sie diesen Antrag nicht gestellt haben, schließen Sie diese Seite.',
  confirmButton: 'Antrag bestätigen',
  confirmedTitle: 'Antrag bestätigt',
  confirmedText: 'Wir bearbeiten Ihren Antrag ({type}). Er wird spätestens am {due} abgeschlossen sein.',
  confirmedErasure:
    'Ihr Konto ist jetzt gesperrt und seine Daten werden gelöscht. Wir senden Ihnen eine Bestätigung per E-Mail.',
  toPrivacyPage: 'Zur Datenschutzseite',
  confirmFailedTitle: 'Antrag nicht bestätigt',
  confirmIncomplete: 'Dieser Link ist unvollständig: Öffnen Sie ihn aus der E-Mail.',
  confirmInvalid: 'Dieser Link ist ungültig, wurde bereits verwendet oder ist abgelaufen.',
  confirmFailedText:
    'Wenn Sie den Antrag weiterhin stellen möchten, schreiben Sie uns oder stellen Sie ihn auf der Datenschutzseite.',
};

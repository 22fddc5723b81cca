/**
 * The privacy centre (a copy of one's data, the other rights, the erasure of the account, the
 * requests made, the AI providers), the page that confirms a mailed request, and the page shown
 * after an erasure. Not bundled with the app: it ships in those pages' chunks (see page-areas.ts).
 */
export const privacy = {
  title: 'Privacy',
  intro: 'Your data, your rights under the GDPR, and the requests you have made.',
  // Your data
  yourDataTitle: 'Your data',
  yourDataText:
    'The {policy} explains what we keep about you, why, and for how long; the {list} names the AI providers your requests go to. Here you can exercise your rights: we answer within one month.',
  policyLink: 'privacy policy',
  subProcessorList: 'list of sub-processors',
  password: 'Password',
  passwordHint: 'Your account password, to confirm that the request comes from you',
  enterPassword: 'Enter your password',
  wrongPassword: 'The password is not correct',
  alreadyOpen: 'You already have an open request of this kind. It is listed under “Your requests”.',
  // A copy of the data
  exportTitle: 'Download my data',
  exportText:
    'A copy of everything we keep about you, as a ZIP archive: one JSON file for each kind of data, your files, and a README that explains them. We usually prepare it within minutes and e-mail you when it is ready; it can then be downloaded for 7 days.',
  exportRequest: 'Request my data',
  exportAgain: 'Request a new copy',
  exportPreparing: 'Your copy, requested on {date}, is being prepared. We will e-mail you when it is ready.',
  exportModalTitle: 'Request a copy of your data',
  exportModalText: 'Enter your password to confirm the request. We will prepare the archive and e-mail you.',
  exportModalConfirm: 'Request copy',
  exportRequested: 'Request received',
  exportRequestedText: 'Your archive is being prepared. It will appear under “Your requests”.',
  download: 'Download',
  availableUntil: 'Available until {date}',
  exportExpired: 'Expired on {date}: request a new copy if you need one.',
  exportGone: 'This copy has expired and was deleted. Request a new one.',
  downloadFailed: 'Download failed',
  // Other rights
  otherRightsTitle: 'Your other rights',
  otherRightsText:
    'Ask us to correct your data, to restrict or stop processing it, or withdraw a consent. Our team reviews the request and answers within one month.',
  whichRight: 'What would you like to request?',
  rectificationText: 'Something we hold about you is wrong or incomplete (Art. 16 GDPR).',
  restrictionText:
    'We keep your data but stop using it for a while, for instance while its accuracy is checked (Art. 18 GDPR).',
  objectionText: 'You object to a processing based on our legitimate interests (Art. 21 GDPR).',
  consentWithdrawalText:
    'You withdraw a consent you gave; what was done before remains lawful (Art. 7(3) GDPR).',
  details: 'Details',
  detailsHint: 'What should we correct, which processing is it about? In your own words.',
  detailsTooLong: 'Use at most {max} characters',
  sendRequest: 'Send request',
  requestSent: 'Request sent',
  requestSentText: 'Our team will answer within one month. You can follow it under “Your requests”.',
  // Request types and statuses
  typeAccess: 'Copy of my data',
  typeErasure: 'Deletion of my account',
  typeRectification: 'Correct my data',
  typeRestriction: 'Restrict processing',
  typeObjection: 'Object to processing',
  typeConsentWithdrawal: 'Withdraw consent',
  statusAwaitingVerification: 'Awaiting confirmation',
  statusInProgress: 'In progress',
  statusCompleted: 'Completed',
  statusRejected: 'Declined',
  // Your requests
  requestsTitle: 'Your requests',
  requestsEmpty: 'No requests yet',
  requestsEmptyText: 'The requests you make here, or by e-mail or post, are listed with their deadlines.',
  columnRequest: 'Request',
  columnStatus: 'Status',
  columnReceived: 'Received',
  columnDue: 'Due by',
  columnActions: 'Actions',
  receivedOn: 'Received on {date}',
  dueBy: 'Due by {date}',
  enteredByStaff: 'Received by e-mail or post',
  closedOn: 'On {date}',
  awaitingConfirmation: 'Confirm it with the link we e-mailed to you.',
  beingPrepared: 'Being prepared',
  // Where your data went
  whereTitle: 'Where your data went',
  whereText:
    'What you send to a model goes to the AI provider that answers it. These are the providers in use, where they process data, and how a transfer outside the European Economic Area is safeguarded (also in the {list}).',
  columnProvider: 'Provider',
  columnRegion: 'Region',
  columnRetention: 'Retention',
  columnSafeguard: 'Transfer safeguard',
  retentionNone: 'None (zero retention)',
  retentionLimited: 'Limited, under its terms',
  safeguardNotNeeded: 'Not needed',
  noProviders: 'No AI provider is configured at present.',
  generationNote:
    'Each request records which provider received it: the details of a generation ({endpoint}) show it.',
  // Deleting the account
  deleteTitle: 'Delete my account and data',
  deleteWhat:
    'Your account and profile, your conversations, prompts and outputs, your uploaded and generated files, your API keys, sessions and settings, and your organisation memberships are deleted.',
  deleteKeptTitle: 'What is kept, without your name or e-mail address:',
  deleteKeptBilling: 'Billing records (transactions and usage), for 5 years, as accounting law requires.',
  deleteKeptLegal:
    'The record of the documents you accepted and of your privacy requests, to show that we acted lawfully.',
  deleteKeptSecurity: 'Security log entries, until their retention period ends.',
  deleteHow:
    'You are signed out everywhere at once and your API keys stop working. We send a receipt to your e-mail address once the deletion is complete. If you own an organisation that others use, transfer it first.',
  deleteFinal: 'This cannot be undone.',
  deleteButton: 'Delete my account',
  deleteModalTitle: 'Delete your account for good?',
  deleteModalText:
    'Your account is locked at once and its data is deleted. Type your e-mail address and your password to confirm.',
  typeToConfirm: 'Type {text} to confirm',
  typedMismatch: 'Type {text} exactly',
  deleteModalConfirm: 'Delete my account',
  // After the erasure
  deletedTitle: 'Your account is being deleted',
  deletedText: 'You have been signed out, and your account can no longer be used. Its data is being deleted.',
  deletedDates: 'Request received on {received}; it will be complete by {due} at the latest.',
  deletedReceipt: 'We will e-mail a receipt listing what was deleted and what was kept.',
  toLogIn: 'Go to the log-in page',
  // Confirming a request received by e-mail or post
  confirmTitle: 'Confirm your privacy request',
  confirmText:
    'We received a privacy request for your account by e-mail or post. Confirm that it comes from you, and we will start on it.',
  confirmNotYou:
    'If it is a request to delete your account, confirming deletes it. If you did not make this request, close this page.',
  confirmButton: 'Confirm request',
  confirmedTitle: 'Request confirmed',
  confirmedText: 'We are working on your request ({type}). It will be complete by {due} at the latest.',
  confirmedErasure: 'Your account is now locked and its data is being deleted. We will e-mail you a receipt.',
  toPrivacyPage: 'Go to the privacy page',
  confirmFailedTitle: 'Request not confirmed',
  confirmIncomplete: 'This link is incomplete: open it from the e-mail.',
  confirmInvalid: 'This link is invalid, has already been used or has expired.',
  confirmFailedText: 'If you still want to make the request, write to us or make it on the privacy page.',
};

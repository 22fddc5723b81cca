/**
 * Closing an account or an organisation (ending the contract), as opposed to erasing the data now:
 * the privacy page's "Close my account" card, the page shown once closed, and the organisation
 * page's danger zone. Shipped with those pages (page-areas.ts).
 */
export const termination = {
  closeAccountTitle: 'Close my account',
  closeAccountWhat:
    'Closing ends your use of the service at once: you are signed out everywhere, your API keys stop working and nothing more is charged.',
  closeAccountContent:
    'Your conversations, files and other content are kept for {days} days and then deleted. Until then, the operator can reopen your account if you ask.',
  closeAccountVersusDelete:
    'To have your data deleted now instead, without the grace period, use “Delete my account”.',
  closeAccountBalance: 'Your remaining balance is {amount}.',
  closeAccountRefund:
    'Closing does not pay it out: to ask for a refund of what is left, follow the {policy}.',
  refundPolicyLink: 'refund policy',
  closeAccountButton: 'Close my account',
  closeAccountModalTitle: 'Close your account?',
  closeAccountModalText:
    'You will be signed out at once and your account stops working. Your content is deleted after {days} days. Enter your password to confirm.',
  closeAccountModalConfirm: 'Close my account',
  ownsOrganisationWithMembers:
    'You own an organisation that other members still use. Make one of them its owner first (on the organisation page), then close your account.',
  closedTitle: 'Your account is closed',
  closedText: 'You have been signed out, and your account can no longer be used.',
  closedDeletion:
    'Your content will be deleted after {date}. Until then, the operator can reopen your account if you ask.',
  closedMail: 'We have sent you an e-mail confirming the closure.',
  closedRefund: 'To ask for a refund of your remaining balance, follow the {policy}.',
  toLogIn: 'Go to the log-in page',
  dangerZone: 'Danger zone',
  closeOrganisationTitle: 'Close {name}',
  closeOrganisationText:
    'Spending stops at once for every member, in the app and through their API keys. Its content is deleted after {days} days, and every member is told by e-mail.',
  closeOrganisationButton: 'Close organisation',
  closeOrganisationModalTitle: 'Close {name}?',
  closeOrganisationModalText:
    'Spending stops at once for every member, its content is deleted after {days} days, and the members are told by e-mail. Enter your password to confirm.',
  closeOrganisationModalConfirm: 'Close organisation',
  organisationClosedTitle: 'This organisation is closed',
  organisationClosedText: 'Nothing can be spent through it any more.',
  organisationClosedDeletion: 'Its content will be deleted after {date}.',
  organisationClosedNotice: '{name} is closed',
  organisationClosedNoticeText: 'Its members are being told by e-mail.',
};

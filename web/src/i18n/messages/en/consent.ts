/** The cookie banner, the cookie settings (opened from the footer) and the Global Privacy Control note. */
export const consent = {
  settingsLink: 'Cookie settings',
  bannerLabel: 'Cookie consent',
  bannerTitle: 'Cookies and analytics',
  bannerText:
    'We use essential cookies to keep you signed in. With your consent, we would also use analytics to learn how the site is used. Nothing beyond the essential runs until you agree, and you can change your choice at any time under “Cookie settings”.',
  essentialOnly: 'Essential only',
  acceptAnalytics: 'Accept analytics',
  choose: 'Choose',
  settingsTitle: 'Cookie settings',
  essentialName: 'Essential',
  essentialDescription:
    'Keeps you signed in (the mg_session cookie) and remembers your language, theme and this choice in your browser’s storage. Always on: the site cannot work without it.',
  onlyEssential: 'This site uses only essential cookies.',
  analyticsName: 'Analytics',
  analyticsDescription:
    'Lets the operator see how the site is used, through an analytics script from another service. Off unless you turn it on.',
  gpcNote:
    'Your browser sends the Global Privacy Control signal, so analytics stays off. To allow it, turn the signal off in your browser.',
  withdrawNote:
    'Turning analytics off reloads the page without it. Cookies the analytics service set on its own domain can be removed in your browser’s settings.',
  decidedAt: 'Your current choice was made on {date}.',
  save: 'Save choices',
  saveFailed: 'Your choice was not saved',
};

/**
 * A new version of a legal document: the notice at the top of every page, the comparison of the
 * two versions, and the note in the acceptance form. The `{title}` is the document's own title.
 */
export const legalChange = {
  upcoming: 'The {title} changes on {date}.',
  inEffect: 'The {title} changed on {date}.',
  acceptLater: 'You will be asked to accept it after that date.',
  seeWhatChanges: 'See what changes',
  seeWhatChanged: 'See what changed',
  dismiss: 'Dismiss this notice',
  updatedFrom: 'updated from version {version}',
  diffTitle: 'What changes in the {title}',
  diffVersions: 'Version {previous} compared with version {version}, in effect from {date}.',
  diffFirstVersion: 'Version {version}, in effect from {date}.',
  diffLegend: 'Added text is underlined on green; removed text is struck through on red.',
  addedStart: 'Added:',
  addedEnd: 'End of added text.',
  removedStart: 'Removed:',
  removedEnd: 'End of removed text.',
  omitted: 'unchanged text left out',
  noChanges: 'The wording is the same as in the previous version.',
  fullVersion: 'Read the full new version',
  changesPage: 'Open this comparison as a page',
  close: 'Close',
};

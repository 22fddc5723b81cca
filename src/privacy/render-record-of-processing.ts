/**
 * The record of processing and the sub-processor list as Markdown, for the pages people read (the
 * JSON is the same data, for tools and auditors).
 */
import { describeDays, plain } from './policy-data-sections.js';
import type { RecordOfProcessing, SubProcessor } from './record-of-processing.js';

export function subProcessorTable(processors: readonly SubProcessor[]): string {
  if (processors.length === 0) return 'No AI provider is configured at present.';
  const rows = processors.map(
    (processor) =>
      `| ${plain(processor.provider)} | ${plain(processor.deploymentId)} | ${plain(processor.region)} | ${
        processor.zeroRetention ? 'None' : 'Limited, under its terms'
      } | ${processor.thirdCountryTransfer ? plain(processor.transferSafeguard) : 'Not needed'} |`,
  );
  return [
    '| Provider | Deployment | Processing region | Retention of inputs and outputs | Transfer safeguard |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function recordOfProcessingMarkdown(record: RecordOfProcessing): string {
  const controller = record.controller;
  const lines = [
    '## Controller',
    '',
    `${plain(controller.name)}, ${plain(controller.address)}. E-mail: ${plain(controller.email)}. Privacy contact: ${plain(
      controller.privacyContact,
    )}. Service: ${plain(controller.service)}.`,
    '',
  ];
  for (const activity of record.activities) {
    const retention =
      activity.retention.days === null
        ? activity.retention.description
        : `${describeDays(activity.retention.days)} (${activity.retention.days} days). ${activity.retention.description}`;
    const storage = activity.storage
      .map((place) =>
        'table' in place ? `\`${place.table}\` (${place.columns.join(', ')})` : `files ${place.files}`,
      )
      .join('; ');
    lines.push(
      `## ${plain(activity.name)}`,
      '',
      plain(activity.description),
      '',
      `- **Purposes and legal bases:** ${activity.purposes
        .map((purpose) => `${plain(purpose.description)} (${purpose.legalBasis})`)
        .join('; ')}`,
      `- **Data subjects:** ${activity.dataSubjects.join(', ')}`,
      `- **Source:** ${plain(activity.source)}`,
      `- **Recipients:** ${activity.recipients.map(plain).join('; ')}`,
      `- **Retention:** ${plain(retention)}`,
      `- **On erasure:** ${activity.erasure.replaceAll('_', ' ')}`,
      `- **In the data export:** ${activity.exported ? 'yes' : 'no'}`,
      `- **Stored in:** ${storage}`,
      '',
    );
  }
  lines.push('## Sub-processors (AI providers)', '', subProcessorTable(record.subProcessors), '');
  lines.push('## Transfers to third countries', '');
  lines.push(
    record.thirdCountryTransfers.length === 0
      ? 'None.'
      : record.thirdCountryTransfers
          .map(
            (transfer) =>
              `- ${plain(transfer.recipient)} to ${plain(transfer.region)}: ${plain(transfer.safeguard)}`,
          )
          .join('\n'),
    '',
  );
  lines.push('## Technical and organisational security measures', '');
  lines.push(record.securityMeasures.map((measure) => `- ${plain(measure)}`).join('\n'));
  return lines.join('\n');
}

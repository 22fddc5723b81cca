/**
 * The README.md of an access export, generated from the data map: what each file holds, why it is
 * kept, on which basis, for how long, and what every column means.
 */
import type { Config } from '../../config.js';
import { DATA_CATEGORIES, DATA_FILES } from '../datamap.js';
import type { DataCategory } from '../datamap-types.js';
import type { CategoryFile, UserData } from './collect-user-data.js';
import { exportedColumns, tablesOfCategory } from './export-schema.js';

export interface ReadmeInput {
  config: Pick<Config, 'OPERATOR_NAME' | 'OPERATOR_PRIVACY_EMAIL' | 'publicUrl'>;
  requestId: string;
  userId: string;
  madeAt: Date;
  data: UserData;
}

function columnLines(categoryId: string): string[] {
  const lines: string[] = [];
  for (const map of tablesOfCategory(categoryId)) {
    lines.push(`- \`${map.table}\`${map.note ? ` (${map.note})` : ''}:`);
    for (const column of exportedColumns(map)) {
      const role = map.columns[column.name]!;
      const what =
        role.role === 'personal' ? role.what : 'links the row to you (your id, or a row that leads to you)';
      const elsewhere =
        role.role === 'personal' && role.category && role.category !== categoryId
          ? ` (belongs to "${nameOf(role.category)}")`
          : '';
      lines.push(`  - \`${column.name}\`: ${what}${elsewhere}`);
    }
  }
  return lines;
}

function nameOf(categoryId: string): string {
  return (
    (DATA_CATEGORIES as readonly DataCategory[]).find((category) => category.id === categoryId)?.name ??
    categoryId
  );
}

function categorySection(file: CategoryFile): string[] {
  const counts = Object.entries(file.tables).map(([table, rows]) => `${table}: ${rows.length}`);
  return [
    `### ${file.category}.json: ${file.name}`,
    '',
    file.description,
    '',
    `- Why it is kept: ${file.purposes.map((purpose) => `${purpose.description} (${purpose.legalBasis})`).join('; ')}.`,
    `- Where it comes from: ${file.source}.`,
    `- Who receives it: ${file.recipients.join('; ')}.`,
    `- How long it is kept: ${file.retention}`,
    `- Rows in this file: ${counts.join(', ')}.`,
    '',
    'Columns:',
    '',
    ...columnLines(file.category),
    '',
  ];
}

export function exportReadme(input: ReadmeInput): string {
  const { config, data } = input;
  const folders = DATA_FILES.filter((store) => store.exported !== false && /<[a-z]+>/.test(store.path));
  return [
    `# Your data at ${config.OPERATOR_NAME}`,
    '',
    `This archive was made on ${input.madeAt.toISOString()} for your access request ${input.requestId} (GDPR Art. 15 and 20). It holds everything the service keeps about your account (${input.userId}), one JSON file per kind of data, in a form other services can read.`,
    '',
    '## Files',
    '',
    '- `README.md`: this file.',
    '- `schema.json`: the JSON Schema of each JSON file, by file name. Large numbers (ids, amounts in micros: 1,000,000 micros are one unit of the currency) are strings of digits; instants are ISO 8601 in UTC.',
    ...data.categories.map((file) => `- \`${file.category}.json\`: ${file.name}.`),
    data.files.length > 0
      ? `- \`files/\`: ${data.files.length} file(s) you generated, opened (not encrypted), as you saw them.`
      : '- `files/`: none (you have no generated files).',
    '',
    '## What each JSON file holds',
    '',
    ...data.categories.flatMap(categorySection),
    '## files/',
    '',
    ...folders.map((store) => `- \`${store.path.replace('<user>/', '')}\`: ${store.what}.`),
    '',
    '## What is not in this archive',
    '',
    '- Secrets that protect your account: your password (kept only as a hash), your two-factor secret, and the hashes of your API keys, sessions and e-mailed links. Nobody can read them back, and handing them out would weaken your account.',
    `- Kinds of data not part of an export: ${(DATA_CATEGORIES as readonly DataCategory[])
      .filter((category) => !category.exported)
      .map((category) => `${category.name} (${category.description})`)
      .join('; ')}.`,
    '- Kinds of data that hold nothing about you right now have no file.',
    '',
    `The providers that received your requests are listed per request in \`usage.json\` (table \`generation_recipients\`), and all of them at ${config.publicUrl}/legal/sub-processors.`,
    `Questions, or a correction to ask for: ${config.OPERATOR_PRIVACY_EMAIL}.`,
    '',
  ].join('\n');
}

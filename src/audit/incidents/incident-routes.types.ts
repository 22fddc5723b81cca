import { z } from 'zod';
import { DATA_CATEGORIES, type DataCategoryId } from '../../privacy/datamap.js';

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high'] as const;
/** The order matters: an incident only moves forward through it. */
export const INCIDENT_STATUSES = ['open', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

const CATEGORY_IDS = DATA_CATEGORIES.map((category) => category.id) as [DataCategoryId, ...DataCategoryId[]];

const ZInstant = z.iso
  .datetime({ offset: true, error: 'An ISO 8601 date and time, e.g. 2025-03-01T14:00:00Z' })
  .transform((text) => new Date(text));
const ZText = (max: number) => z.string().trim().min(1).max(max);

/** The facts of an incident, as staff know them; all can be corrected later. */
const incidentFacts = {
  title: ZText(200),
  description: ZText(10_000).describe('What happened, as far as known: facts, cause, systems affected'),
  occurredAt: ZInstant.nullable().describe('When it happened, if known'),
  severity: z.enum(INCIDENT_SEVERITIES),
  personalDataBreach: z.boolean().describe('Whether personal data was breached (GDPR Art. 4(12))'),
  dataCategories: z
    .array(z.enum(CATEGORY_IDS, { error: `each one of ${CATEGORY_IDS.join(', ')}` }))
    .max(CATEGORY_IDS.length)
    .describe('Categories of personal data concerned, ids from the data map'),
  approximateSubjects: z.number().int().min(0).max(2_000_000_000).nullable(),
  likelyConsequences: ZText(10_000).nullable(),
  measuresTaken: ZText(10_000).nullable(),
};

export const ZCreateIncidentBody = z.strictObject({
  ...incidentFacts,
  awareAt: ZInstant.optional().describe(
    'When the operator became aware of it (default: now); starts the 72 hours',
  ),
  occurredAt: incidentFacts.occurredAt.optional(),
  dataCategories: incidentFacts.dataCategories.default([]),
  approximateSubjects: incidentFacts.approximateSubjects.optional(),
  likelyConsequences: incidentFacts.likelyConsequences.optional(),
  measuresTaken: incidentFacts.measuresTaken.optional(),
});
export type TCreateIncidentBody = z.infer<typeof ZCreateIncidentBody>;

/** Only the fields sent change; null clears an optional one. */
export const ZUpdateIncidentBody = z
  .strictObject({
    ...incidentFacts,
    awareAt: ZInstant,
    status: z.enum(INCIDENT_STATUSES),
    notifyAuthority: z
      .boolean()
      .nullable()
      .describe('Whether the breach must be notified to the authority (false: unlikely to result in a risk)'),
    noNotificationReason: ZText(4000).nullable(),
    authorityNotifiedAt: ZInstant.nullable(),
    authorityReference: ZText(200).nullable(),
    delayReason: ZText(4000).nullable().describe('Why the authority was notified after 72 hours'),
    subjectsNotifiedAt: ZInstant.nullable(),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, { error: 'Send at least one field to change' });
export type TUpdateIncidentBody = z.infer<typeof ZUpdateIncidentBody>;

export const ZIncidentParams = z.strictObject({ id: z.uuid() });

export const ZIncidentsQuery = z.strictObject({
  status: z.enum(INCIDENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ZNotifyOrganisationsBody = z.strictObject({
  message: z
    .string()
    .trim()
    .min(20)
    .max(5000)
    .describe(
      'What happened, the data and people concerned, the likely consequences, the measures taken (GDPR Art. 33(3))',
    ),
  organisationIds: z
    .array(z.uuid())
    .min(1)
    .max(1000)
    .optional()
    .describe('The organisations affected; every active organisation when absent'),
});

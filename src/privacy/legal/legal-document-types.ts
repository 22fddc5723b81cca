import { z } from 'zod';

/** The legal documents a user accepts at sign-up; more types (refund policy, DPA…) come later. */
export const LEGAL_DOCUMENT_TYPES = ['terms', 'privacy'] as const;

export const ZLegalDocumentType = z.enum(LEGAL_DOCUMENT_TYPES);
export type TLegalDocumentType = z.infer<typeof ZLegalDocumentType>;

/** A BCP 47 language tag as accepted in `?lang=` (`en`, `de`, `pt-BR`); compared lower-cased. */
export const ZLanguageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or pt-BR')
  .transform((tag) => tag.toLowerCase());

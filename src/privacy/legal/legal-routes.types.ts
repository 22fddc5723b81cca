import { z } from 'zod';
import { LEGAL_DOCUMENT_TYPES, ZLanguageTag } from './legal-document-types.js';

/** `type` is a free string here so an unknown type answers 404 (no such page), not 400. */
export const ZLegalDocumentParams = z.object({
  type: z.string().describe(LEGAL_DOCUMENT_TYPES.join(' or ')),
});

export const ZLegalDocumentQuery = z.object({
  lang: ZLanguageTag.optional(),
  format: z.enum(['json', 'html']).optional(),
  /** A specific version, including one announced but not yet in effect. */
  version: z.string().min(1).max(32).optional(),
});
export type TLegalDocumentQuery = z.infer<typeof ZLegalDocumentQuery>;

export const ZLanguageQuery = z.object({ lang: ZLanguageTag.optional() });

export const ZLegalDocumentJson = z.object({
  type: z.enum(LEGAL_DOCUMENT_TYPES),
  version: z.string(),
  language: z.string(),
  title: z.string(),
  effectiveAt: z.iso.datetime(),
  bodyMarkdown: z.string(),
});

export const ZLegalDocumentVersions = z.object({
  type: z.enum(LEGAL_DOCUMENT_TYPES),
  versions: z.array(
    z.object({
      version: z.string(),
      language: z.string(),
      authoritative: z.boolean(),
      title: z.string(),
      effectiveAt: z.iso.datetime(),
      status: z.enum(['upcoming', 'current', 'superseded']),
    }),
  ),
});

const ZCurrentLegalDocument = z.object({
  id: z.uuid(),
  version: z.string(),
  language: z.string(),
  title: z.string(),
  effectiveAt: z.iso.datetime(),
  url: z.url(),
});

export const ZCurrentLegalDocuments = z.object({
  terms: ZCurrentLegalDocument,
  privacy: ZCurrentLegalDocument,
});
export type TCurrentLegalDocuments = z.infer<typeof ZCurrentLegalDocuments>;

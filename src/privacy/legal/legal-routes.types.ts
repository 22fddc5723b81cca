import { z } from 'zod';
import { LEGAL_DOCUMENT_TYPES, type SIGN_UP_TYPES, ZLanguageTag } from './legal-document-types.js';

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

export const ZLegalIndexQuery = z.object({
  lang: ZLanguageTag.optional(),
  format: z.enum(['json', 'html']).optional(),
});

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

/** What the sign-up form accepts: exactly the `SIGN_UP_TYPES`, each by its current version. */
export const ZCurrentLegalDocuments = z.object({
  terms: ZCurrentLegalDocument,
  privacy: ZCurrentLegalDocument,
} satisfies Record<(typeof SIGN_UP_TYPES)[number], typeof ZCurrentLegalDocument>);
export type TCurrentLegalDocuments = z.infer<typeof ZCurrentLegalDocuments>;

/** `GET /legal` as JSON: every document type in effect, in index order, and the sub-processor list. */
export const ZLegalIndex = z.object({
  documents: z.array(
    z.object({
      type: z.enum(LEGAL_DOCUMENT_TYPES),
      title: z.string(),
      version: z.string(),
      language: z.string(),
      effectiveAt: z.iso.datetime(),
      /** Accepted at sign-up; the others are part of the terms by reference, or bind organisations. */
      acceptedAtSignUp: z.boolean(),
      url: z.url(),
    }),
  ),
  subProcessorsUrl: z.url(),
});
export type TLegalIndex = z.infer<typeof ZLegalIndex>;

import { z } from 'zod';

/**
 * Every legal document the operator publishes, by URL slug (`/legal/refund-policy`), in the order
 * the index page lists them (PP 1.3).
 */
export const LEGAL_DOCUMENT_TYPES = [
  'terms',
  'privacy',
  'public-offer',
  'refund-policy',
  'acceptable-use',
  'ai-disclaimer',
  'dpa',
] as const;

export const ZLegalDocumentType = z.enum(LEGAL_DOCUMENT_TYPES);
export type TLegalDocumentType = z.infer<typeof ZLegalDocumentType>;

/**
 * What a user accepts at sign-up. The public offer, refund policy, acceptable use policy and AI
 * disclaimer are incorporated into the terms by reference, and the DPA binds organisations, so
 * accepting the terms covers them: no second checkbox, and no re-acceptance when only they change.
 */
export const SIGN_UP_TYPES = ['terms', 'privacy'] as const satisfies readonly TLegalDocumentType[];
export type TSignUpDocumentType = (typeof SIGN_UP_TYPES)[number];

export interface LegalDocumentTypeInfo {
  /** English display title, for links and the index; a stored version carries its own title. */
  title: string;
  /** Part of what a user accepts at sign-up (the types of `SIGN_UP_TYPES`). */
  acceptedAtSignUp: boolean;
  /** One line for the index page: what the document is for and whom it binds. */
  summary: string;
}

export const LEGAL_DOCUMENT_TYPE_INFO: Readonly<Record<TLegalDocumentType, LegalDocumentTypeInfo>> = {
  terms: {
    title: 'Terms of Service',
    acceptedAtSignUp: true,
    summary:
      'The contract for using the service; the documents below marked "part of the terms" are included in it.',
  },
  privacy: {
    title: 'Privacy Policy',
    acceptedAtSignUp: true,
    summary:
      'Which personal data is processed, why, with whom it is shared, how long it is kept, and your rights.',
  },
  'public-offer': {
    title: 'Public Offer and Service Agreement',
    acceptedAtSignUp: false,
    summary:
      'Part of the terms: buying prepaid credit, prices, immediate performance, withdrawal and termination.',
  },
  'refund-policy': {
    title: 'Refund Policy',
    acceptedAtSignUp: false,
    summary:
      'Part of the terms: when and how money paid for credit is refunded or a charge is credited back.',
  },
  'acceptable-use': {
    title: 'Acceptable Use Policy',
    acceptedAtSignUp: false,
    summary: 'Part of the terms: what the service must not be used for, reporting abuse, and enforcement.',
  },
  'ai-disclaimer': {
    title: 'AI Disclaimer',
    acceptedAtSignUp: false,
    summary:
      'Part of the terms: what to expect from AI output, how it is marked, and which provider made it.',
  },
  dpa: {
    title: 'Data Processing Agreement',
    acceptedAtSignUp: false,
    summary: 'For organisations: how personal data is processed on their behalf (GDPR Art. 28).',
  },
};

/** A BCP 47 language tag as accepted in `?lang=` (`en`, `de`, `pt-BR`); compared lower-cased. */
export const ZLanguageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as en or pt-BR')
  .transform((tag) => tag.toLowerCase());

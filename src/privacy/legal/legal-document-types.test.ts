import { describe, expect, it } from 'vitest';
import { LEGAL_DOCUMENT_TYPE_INFO, LEGAL_DOCUMENT_TYPES, SIGN_UP_TYPES } from './legal-document-types.js';

describe('legal document types', () => {
  it('accepts at sign-up exactly the terms and the privacy policy', () => {
    expect(SIGN_UP_TYPES).toEqual(['terms', 'privacy']);
    const acceptedAtSignUp = LEGAL_DOCUMENT_TYPES.filter(
      (type) => LEGAL_DOCUMENT_TYPE_INFO[type].acceptedAtSignUp,
    );
    expect(acceptedAtSignUp).toEqual([...SIGN_UP_TYPES]);
  });

  it('uses URL slugs as types, each with a title', () => {
    for (const type of LEGAL_DOCUMENT_TYPES) {
      expect(type).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(LEGAL_DOCUMENT_TYPE_INFO[type].title).not.toBe('');
    }
  });
});

/**
 * The web app's message lookup (web/src/i18n/translate.ts): placeholders filled, numbers in the
 * reader's locale, the plural form chosen by the language's own rules, and English for a gap.
 */
import { describe, expect, it } from 'vitest';
import { de } from '../../web/src/i18n/messages/de/index.js';
import { type Catalog, en } from '../../web/src/i18n/messages/en/index.js';
import { fr } from '../../web/src/i18n/messages/fr/index.js';
import { createTranslate, type MessageKey } from '../../web/src/i18n/translate.js';

const removed = { name: 'ada', organisation: 'Acme' };

describe('translating a message', () => {
  it('fills placeholders, and leaves one without a value visible', () => {
    const t = createTranslate(en, en, 'en-GB');
    expect(t('chat.removeAttachment', { name: 'notes.md' })).toBe('Remove notes.md');
    expect(t('chat.removeAttachment')).toBe('Remove {name}');
    expect(t('chat.send')).toBe('Send');
  });

  it('writes numbers in the locale', () => {
    expect(createTranslate(en, en, 'en-GB')('studio.atMostCharacters', { max: 4000 })).toBe(
      'At most 4,000 characters',
    );
    expect(createTranslate(de, en, 'de-DE')('studio.atMostCharacters', { max: 4000 })).toBe(
      'Höchstens 4.000 Zeichen',
    );
  });

  it('picks the plural form by the language’s rules', () => {
    const english = createTranslate(en, en, 'en-GB');
    expect(english('organisation.memberRemovedText', { ...removed, count: 1 })).toBe(
      'ada left Acme; 1 API key was revoked.',
    );
    expect(english('organisation.memberRemovedText', { ...removed, count: 0 })).toBe(
      'ada left Acme; 0 API keys were revoked.',
    );
    // French counts zero as one; its "many" (a million) falls back to the _other form.
    const french = createTranslate(fr, en, 'fr-FR');
    expect(french('organisation.memberRemovedText', { ...removed, count: 0 })).toMatch(
      /0 clé API a été révoquée/,
    );
    expect(french('organisation.memberRemovedText', { ...removed, count: 1_000_000 })).toMatch(
      /clés API ont été révoquées/,
    );
  });

  it('falls back to English for a key a language lacks, and to the key when English lacks it too', () => {
    const partial = { ...de, chat: { ...de.chat, send: undefined } } as unknown as Catalog;
    const t = createTranslate(partial, en, 'de-DE');
    expect(t('chat.send')).toBe('Send');
    expect(t('chat.stop')).toBe('Stopp');
    expect(t('chat.nothingLikeThis' as MessageKey)).toBe('chat.nothingLikeThis');
  });
});

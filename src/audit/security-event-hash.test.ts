import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../lib/crypto.js';
import {
  canonicalJson,
  GENESIS_HASH,
  hashSecurityEvent,
  type SecurityEventContent,
  serialiseSecurityEvent,
} from './security-event-hash.js';

const content: SecurityEventContent = {
  occurredAt: new Date('2025-03-01T12:00:00.5Z'),
  type: 'sign_in_succeeded',
  userId: '4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11',
  actorId: null,
  ip: '198.51.100.2',
  userAgent: 'curl/8.5.0',
  details: { method: 'password', second: { b: 2, a: [1, { d: null, c: 'x' }] } },
};

describe('security event hash', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: { f: 1, e: 2 } } })).toBe(
      '{"a":{"c":{"e":2,"f":1},"d":[2,1]},"b":1}',
    );
  });

  it('serialises the fields in a fixed order with the time to the millisecond', () => {
    expect(serialiseSecurityEvent(content)).toBe(
      '["2025-03-01T12:00:00.500Z","sign_in_succeeded","4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11",null,' +
        '"198.51.100.2","curl/8.5.0",{"method":"password","second":{"a":[1,{"c":"x","d":null}],"b":2}}]',
    );
  });

  it('hashes the previous hash followed by the serialised content', () => {
    expect(hashSecurityEvent(GENESIS_HASH, content)).toBe(
      sha256Hex(GENESIS_HASH + serialiseSecurityEvent(content)),
    );
  });

  it('changes when any covered field or the previous hash changes', () => {
    const original = hashSecurityEvent(GENESIS_HASH, content);
    const variants: SecurityEventContent[] = [
      { ...content, occurredAt: new Date('2025-03-01T12:00:00.501Z') },
      { ...content, type: 'sign_in_failed' },
      { ...content, userId: null },
      { ...content, actorId: content.userId },
      { ...content, ip: '198.51.100.3' },
      { ...content, userAgent: null },
      { ...content, details: { method: 'passkey' } },
    ];
    for (const variant of variants) expect(hashSecurityEvent(GENESIS_HASH, variant)).not.toBe(original);
    expect(hashSecurityEvent('f'.repeat(64), content)).not.toBe(original);
  });
});

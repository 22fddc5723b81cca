/**
 * The consent choices (GET/POST /api/privacy/consent). A visitor who is not signed in is known by a
 * random id kept in this browser's storage, created only when they first make a choice: before that,
 * nothing is stored at all.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';

export type ConsentSource = 'banner' | 'settings' | 'gpc' | 'sign_up';

export interface ConsentState {
  purposes: {
    analytics: {
      available: boolean;
      granted: boolean;
      decision: { granted: boolean; source: ConsentSource; policyVersion: string; decidedAt: string } | null;
    };
  };
  analyticsScriptUrl: string | null;
  policyVersion: string | null;
  globalPrivacyControl: boolean;
}

export interface ConsentChoices {
  analytics: boolean;
}

// Strictly necessary for remembering the choice itself, so it needs no consent of its own.
const VISITOR_KEY = 'mg_consent_visitor';

function storedVisitorId(): string | null {
  try {
    return localStorage.getItem(VISITOR_KEY);
  } catch {
    // Storage refused (privacy mode): the choice lasts for this page only.
    return null;
  }
}

function visitorIdForChoice(): string {
  const existing = storedVisitorId();
  if (existing) return existing;
  const created = randomUuid();
  try {
    localStorage.setItem(VISITOR_KEY, created);
  } catch {
    // Not kept: the next page load asks again.
  }
  return created;
}

/** A version 4 UUID. `crypto.randomUUID` exists only on https and localhost; a LAN address has none. */
function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * GPC (https://privacycg.github.io/gpc-spec/): the browser tells every site that its user objects to
 * the sale or sharing of their data. Analytics stays off and is not offered.
 */
export function browserSendsGlobalPrivacyControl(): boolean {
  return (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

const consentKey = (userId: string | null) => ['privacy', 'consent', userId] as const;

/** The choices in effect for the signed-in user (`userId`) or, signed out, for this browser. */
export function useConsent(userId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: consentKey(userId),
    queryFn: () => {
      const visitorId = storedVisitorId();
      return api<ConsentState>(
        `/api/privacy/consent${visitorId ? `?${new URLSearchParams({ visitorId })}` : ''}`,
      );
    },
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Records a choice; the server's answer (what is now in effect) replaces the cached one. */
export function useRecordConsent(userId: string | null) {
  const client = useQueryClient();
  return async (choices: ConsentChoices, source: ConsentSource): Promise<ConsentState> => {
    const state = await api<ConsentState>('/api/privacy/consent', {
      method: 'POST',
      json: { purposes: choices, source, visitorId: visitorIdForChoice() },
    });
    client.setQueryData(consentKey(userId), state);
    return state;
  };
}

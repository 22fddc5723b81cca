/**
 * What the privacy page reads from and sends to the server: the user's own privacy requests
 * (src/privacy/requests/privacy-request-routes.ts), the export download, the confirmation of a
 * request staff entered, and the public sub-processor list (src/privacy/privacy-routes.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, apiFetch } from '../../api/client';

export const PRIVACY_REQUEST_TYPES = [
  'access',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'consent_withdrawal',
] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

/** The rights staff answer by hand; access and erasure have their own cards. */
export const OTHER_RIGHTS = ['rectification', 'restriction', 'objection', 'consent_withdrawal'] as const;
export type OtherRight = (typeof OTHER_RIGHTS)[number];

export type PrivacyRequestStatus = 'awaiting_verification' | 'in_progress' | 'completed' | 'rejected';

export interface PrivacyRequest {
  id: string;
  type: PrivacyRequestType;
  status: PrivacyRequestStatus;
  source: 'app' | 'staff';
  details: string | null;
  receivedAt: string;
  dueAt: string;
  verifiedAt: string | null;
  completedAt: string | null;
  blockedReason: string | null;
  /** An access request's archive: `url` is null once it expired and was deleted. */
  export: { url: string | null; expiresAt: string } | null;
}

export interface SubProcessor {
  deploymentId: string;
  provider: string;
  region: string;
  zeroRetention: boolean;
  transferSafeguard: string;
  thirdCountryTransfer: boolean;
}

/** The server's limit on the free-text detail of a request. */
export const DETAILS_MAX_LENGTH = 4000;

export const PRIVACY_REQUESTS_KEY = ['privacy', 'requests'] as const;

const isPreparing = (request: PrivacyRequest) =>
  request.type === 'access' && request.status === 'in_progress';

export function usePrivacyRequests() {
  return useQuery({
    queryKey: PRIVACY_REQUESTS_KEY,
    queryFn: async () => (await api<{ requests: PrivacyRequest[] }>('/api/privacy/requests')).requests,
    // The export job runs every minute: while an archive is being prepared, look again now and
    // then so that the download button appears without a reload.
    refetchInterval: (query) => (query.state.data?.some(isPreparing) ? 20_000 : false),
  });
}

export function useSubProcessors() {
  return useQuery({
    queryKey: ['privacy', 'sub-processors'],
    queryFn: async () =>
      (await api<{ subProcessors: SubProcessor[] }>('/api/privacy/sub-processors')).subProcessors,
    staleTime: 5 * 60_000,
  });
}

/** Made in the app, so the password re-entered verifies it: it starts at once. */
export async function createPrivacyRequest(body: {
  type: PrivacyRequestType;
  password: string;
  details?: string;
}): Promise<PrivacyRequest> {
  return (await api<{ request: PrivacyRequest }>('/api/privacy/requests', { json: body })).request;
}

export async function confirmPrivacyRequest(token: string): Promise<PrivacyRequest> {
  return (await api<{ request: PrivacyRequest }>('/api/privacy/requests/confirm', { json: { token } }))
    .request;
}

/** The server's refusals the page words itself (its own messages are English). */
export function isWrongPassword(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'forbidden' && error.details.field === 'password';
}

export function isAlreadyOpen(error: unknown): boolean {
  return (
    error instanceof ApiError && error.code === 'conflict' && typeof error.details.requestId === 'string'
  );
}

/**
 * Fetches the archive and hands it to the browser as a download. Fetched rather than linked so
 * that an archive which expired meanwhile shows as a message on the page, not as a browser error.
 */
export async function downloadExport(url: string): Promise<void> {
  const response = await apiFetch(url);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'my-data.zip';
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; revoking later frees it without racing it.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}

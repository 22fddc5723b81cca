/**
 * Ending the contract (src/accounts/termination/): closing the signed-in user's account, or an
 * organisation they own. Both stop everything at once and delete the content after a grace period;
 * the answer says when, so the page can tell the user.
 */
import { ApiError, api } from './client';

export interface ClosureReply {
  closedAt: string;
  /** When the content is deleted; until then the operator can reopen. */
  contentDeletedAfter: string;
}

/**
 * The server's default grace period (RETENTION_CLOSED_ACCOUNT_GRACE_DAYS), for the words shown
 * before closing; after closing, the pages show the exact date the server answers instead.
 */
export const CLOSURE_GRACE_DAYS = 30;

export function closeAccount(password: string): Promise<ClosureReply> {
  return api<ClosureReply>('/api/account/close', { json: { password } });
}

export function closeOrganisation(organisationId: string, password: string): Promise<ClosureReply> {
  return api<ClosureReply>(`/api/organisations/${encodeURIComponent(organisationId)}/close`, {
    json: { password },
  });
}

/** The account cannot close while it owns an organisation that others still use. */
export function isOwnerOfSharedOrganisation(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.details.reason === 'organisation_owner';
}

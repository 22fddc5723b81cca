import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface PendingAcceptances {
  documents: Array<{
    type: 'terms' | 'privacy';
    version: string;
    url: string;
    /** A change users must accept again (a non-material one takes effect without asking). */
    material: boolean;
    /** The version this one replaces, when the user had one before. */
    previousVersion: string | null;
    /** The public page of what changed from `previousVersion`. */
    changesUrl: string | null;
  }>;
  ageConfirmationRequired: boolean;
}

export const acceptanceQuery = {
  queryKey: ['legal', 'acceptance'] as const,
  queryFn: () => api<PendingAcceptances>('/api/legal/acceptance'),
  staleTime: 5 * 60_000,
};

/** What the signed-in user still has to accept before using the service. */
export function usePendingAcceptances() {
  return useQuery(acceptanceQuery);
}

/** One run of the word diff between two versions of a document. */
export interface LegalDiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A new version of a document, announced before it takes effect or recently in effect. */
export interface LegalAnnouncement {
  type: string;
  title: string;
  version: string;
  language: string;
  effectiveAt: string;
  material: boolean;
  changeSummary: string | null;
  status: 'upcoming' | 'in_effect';
  acceptanceRequired: boolean;
  url: string;
  changesUrl: string;
  previousVersion: string | null;
  diff: LegalDiffPart[];
}

/** In the language the app is read in, where the document has that translation. */
export function announcementsQuery(language: string) {
  return {
    queryKey: ['legal', 'announcements', language] as const,
    queryFn: () =>
      api<{ announcements: LegalAnnouncement[] }>(
        `/api/legal/announcements?${new URLSearchParams({ lang: language })}`,
      ),
    staleTime: 5 * 60_000,
  };
}

/** The changes to the legal documents the signed-in user should hear about. */
export function useLegalAnnouncements(language: string, enabled = true) {
  return useQuery({ ...announcementsQuery(language), enabled });
}

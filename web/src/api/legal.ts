import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface PendingAcceptances {
  documents: Array<{ type: 'terms' | 'privacy'; version: string; url: string }>;
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

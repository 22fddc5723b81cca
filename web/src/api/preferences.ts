import { useQuery } from '@tanstack/react-query';
import { api } from './client';

export interface Preferences {
  historyEnabled: boolean;
  language: 'en' | 'de' | 'fr' | 'es';
}

export const PREFERENCES_KEY = ['account', 'preferences'] as const;

/** The user's own choices (GET /api/account/preferences): chat history on or off, language. */
export const preferencesQuery = {
  queryKey: PREFERENCES_KEY,
  queryFn: () => api<Preferences>('/api/account/preferences'),
};

export function usePreferences() {
  return useQuery(preferencesQuery);
}

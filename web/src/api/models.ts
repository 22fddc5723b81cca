import { useQuery } from '@tanstack/react-query';
import { api } from './client';

/** One entry of GET /v1/models (OpenAI's list shape with Mixgate's extra fields). */
export interface ModelInfo {
  id: string;
  owned_by: string;
  name: string;
  modality: 'text' | 'image' | 'speech' | 'transcription' | 'embedding' | 'video' | 'music' | string;
  context_length: number | null;
  max_output_tokens: number | null;
  capabilities: string[];
  async: boolean;
  pricing: { currency: string } & Record<string, string>;
}

/** The models this instance serves; they change only when the operator reconfigures it. */
export const modelsQuery = {
  queryKey: ['models'],
  queryFn: async () => (await api<{ data: ModelInfo[] }>('/v1/models')).data,
  staleTime: 5 * 60_000,
};

export function useModels() {
  return useQuery(modelsQuery);
}

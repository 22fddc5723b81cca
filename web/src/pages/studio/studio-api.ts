/**
 * What the studio reads and writes (/api/studio on the server): generations that are kept in the
 * user's gallery, the gallery itself one page at a time, and the jobs (video, music, slow image
 * models) that the page polls until they end.
 */
import { type InfiniteData, type QueryClient, useInfiniteQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client';

export type StudioKind = 'image' | 'speech' | 'video' | 'music';
export type OutputStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type SpeechFormat = 'mp3' | 'wav' | 'opus' | 'aac' | 'flac';

export interface OutputFile {
  /** Relative, same origin: the session cookie authorises it. */
  url: string;
  mediaType: string;
  bytes: number;
}

export interface StudioOutput {
  id: string;
  kind: StudioKind;
  model: string;
  provider: string | null;
  prompt: string;
  status: OutputStatus;
  /** 0–1 while a job runs, when the provider reports it. */
  progress: number | null;
  /** Currency units as a decimal string; null while nothing is charged yet. */
  cost: string | null;
  error: string | null;
  createdAt: string;
  generationId: string | null;
  jobId: string | null;
  files: OutputFile[];
}

export interface OutputPage {
  outputs: StudioOutput[];
  nextBefore: string | null;
}

export interface ImageBody {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
}

export interface SpeechBody {
  model: string;
  input: string;
  voice?: string;
  format?: SpeechFormat;
  speed?: number;
}

export interface JobBody {
  model: string;
  input: { prompt: string; duration?: number };
}

export type KindFilter = StudioKind | 'all';

const PAGE_SIZE = 24;
const OUTPUTS_KEY = ['studio', 'outputs'] as const;
const outputsKey = (kind: KindFilter) => [...OUTPUTS_KEY, kind] as const;
export const outputKey = (id: string) => ['studio', 'output', id] as const;

export function isActive(output: Pick<StudioOutput, 'status'>): boolean {
  return output.status === 'queued' || output.status === 'running';
}

/** The user turned history off: the studio keeps nothing and the public API does the work. */
export function isHistoryOff(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'history_disabled';
}

/** The gallery, newest first, one page of PAGE_SIZE at a time. */
export function useOutputs(kind: KindFilter) {
  return useInfiniteQuery({
    queryKey: outputsKey(kind),
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (kind !== 'all') query.set('kind', kind);
      if (pageParam) query.set('before', pageParam);
      return api<OutputPage>(`/api/studio/outputs?${query}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

export const createImage = (body: ImageBody) => api<StudioOutput>('/api/studio/images', { json: body });
export const createSpeech = (body: SpeechBody) => api<StudioOutput>('/api/studio/speech', { json: body });
export const createJob = (body: JobBody) => api<StudioOutput>('/api/studio/jobs', { json: body });
export const readOutput = (id: string) => api<StudioOutput>(`/api/studio/outputs/${encodeURIComponent(id)}`);

export async function cancelOutput(id: string): Promise<StudioOutput> {
  const answer = await api<StudioOutput | undefined>(`/api/studio/outputs/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
  });
  // The server answers with the output; were it ever empty, the output itself says where it stands.
  return answer?.id ? answer : readOutput(id);
}

export const deleteOutput = (id: string) =>
  api<void>(`/api/studio/outputs/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** A file's download link: the same URL, asking the server for an attachment. */
export function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}download=1`;
}

type Gallery = InfiniteData<OutputPage, string | null>;

function eachGallery(client: QueryClient, change: (kind: KindFilter, gallery: Gallery) => Gallery): void {
  for (const [key, gallery] of client.getQueriesData<Gallery>({ queryKey: OUTPUTS_KEY })) {
    if (!gallery) continue;
    client.setQueryData<Gallery>(key, change(key[2] as KindFilter, gallery));
  }
}

/** A new output goes to the top of every loaded gallery that shows its kind. */
export function addToGallery(client: QueryClient, output: StudioOutput): void {
  eachGallery(client, (kind, gallery) => {
    if (kind !== 'all' && kind !== output.kind) return gallery;
    const [first, ...rest] = gallery.pages;
    if (!first || first.outputs.some((known) => known.id === output.id)) return gallery;
    return { ...gallery, pages: [{ ...first, outputs: [output, ...first.outputs] }, ...rest] };
  });
}

/** A job's newer state (polled or cancelled) replaces the old one wherever it is shown. */
export function updateInGallery(client: QueryClient, output: StudioOutput): void {
  eachGallery(client, (_, gallery) => ({
    ...gallery,
    pages: gallery.pages.map((page) => ({
      ...page,
      outputs: page.outputs.map((known) => (known.id === output.id ? output : known)),
    })),
  }));
}

export function removeFromGallery(client: QueryClient, id: string): void {
  eachGallery(client, (_, gallery) => ({
    ...gallery,
    pages: gallery.pages.map((page) => ({
      ...page,
      outputs: page.outputs.filter((known) => known.id !== id),
    })),
  }));
  client.removeQueries({ queryKey: outputKey(id) });
}

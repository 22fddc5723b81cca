/** The studio's conversations (src/studio on the server): list, read, rename, delete, export. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export interface ConversationSummary {
  id: string;
  title: string;
  model: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation extends ConversationSummary {
  activeLeafId: string | null;
}

export interface ImageAttachment {
  kind: 'image';
  name: string;
  mediaType: string;
  dataUrl: string;
}

export interface FileAttachment {
  kind: 'file';
  name: string;
  mediaType: string;
  text: string;
}

export type Attachment = ImageAttachment | FileAttachment;

export interface MessageContent {
  text: string;
  attachments?: Attachment[];
}

export interface StoredMessage {
  id: string;
  parentId: string | null;
  role: 'user' | 'assistant';
  content: MessageContent;
  model: string | null;
  generationId: string | null;
  /** Currency units as a decimal string, or null (a user message, or nothing was charged). */
  cost: string | null;
  status: 'complete' | 'cancelled' | 'interrupted' | 'failed';
  error: string | null;
  createdAt: string;
}

export const conversationsKey = (query: string) => ['conversations', query] as const;
export const conversationKey = (id: string) => ['conversation', id] as const;

export function conversationsQuery(query: string) {
  return {
    queryKey: conversationsKey(query),
    queryFn: () =>
      api<{ conversations: ConversationSummary[] }>(
        `/api/conversations?limit=100${query ? `&q=${encodeURIComponent(query)}` : ''}`,
      ),
  };
}

export function useConversations(query: string) {
  return useQuery({ ...conversationsQuery(query), placeholderData: (previous) => previous });
}

export interface ConversationWithMessages {
  conversation: Conversation;
  messages: StoredMessage[];
}

export function fetchConversation(id: string): Promise<ConversationWithMessages> {
  return api<ConversationWithMessages>(`/api/conversations/${id}`);
}

export function useConversation(id: string | undefined) {
  return useQuery({
    queryKey: conversationKey(id ?? 'none'),
    queryFn: () => fetchConversation(id!),
    enabled: Boolean(id),
  });
}

export function createConversation(model: string | null): Promise<Conversation> {
  return api<Conversation>('/api/conversations', { json: model ? { model } : {} });
}

export function useConversationActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['conversations'] });
  return {
    rename: useMutation({
      mutationFn: ({ id, title }: { id: string; title: string }) =>
        api(`/api/conversations/${id}`, { method: 'PATCH', json: { title } }),
      onSuccess: (_data, { id }) => {
        void refresh();
        void client.invalidateQueries({ queryKey: conversationKey(id) });
      },
    }),
    remove: useMutation({
      mutationFn: (id: string) => api(`/api/conversations/${id}`, { method: 'DELETE' }),
      onSuccess: (_data, id) => {
        client.removeQueries({ queryKey: conversationKey(id) });
        void refresh();
      },
    }),
    setActiveLeaf: (id: string, activeLeafId: string) =>
      api(`/api/conversations/${id}`, { method: 'PATCH', json: { activeLeafId } }),
  };
}

/** A same-origin GET: the browser downloads it with the session cookie. */
export function exportUrl(id: string, format: 'markdown' | 'json'): string {
  return `/api/conversations/${id}/export?format=${format}`;
}

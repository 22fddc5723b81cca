/**
 * The chat with history off: nothing is stored on the server, so the conversation lives in this
 * page only and each turn goes to the public API (/v1/chat/completions, streamed, with the whole
 * conversation), which meters it like any client's request. Reloading the page forgets it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { BALANCE_KEY } from '../../api/billing';
import { apiFetch, errorMessage } from '../../api/client';
import type { Attachment, MessageContent, StoredMessage } from '../../api/conversations';
import type { BranchMessage } from './conversation-tree';
import { readChatStream } from './read-chat-stream';

type OpenAiPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** The same translation the server makes for stored conversations (src/studio/message-content.ts). */
function toOpenAiContent(content: MessageContent): string | OpenAiPart[] {
  const attachments = content.attachments ?? [];
  if (attachments.length === 0) return content.text;
  const parts: OpenAiPart[] = content.text.trim() ? [{ type: 'text', text: content.text }] : [];
  for (const attachment of attachments) {
    parts.push(
      attachment.kind === 'file'
        ? { type: 'text', text: `File ${attachment.name}:\n${attachment.text}` }
        : { type: 'image_url', image_url: { url: attachment.dataUrl } },
    );
  }
  return parts;
}

function localMessage(
  role: 'user' | 'assistant',
  content: MessageContent,
  model: string | null,
): StoredMessage {
  return {
    id: crypto.randomUUID(),
    parentId: null,
    role,
    content,
    model,
    generationId: null,
    cost: null,
    status: 'complete',
    error: null,
    createdAt: new Date().toISOString(),
  };
}

export function useUnsavedChat() {
  const client = useQueryClient();
  const [messages, setMessages] = useState<StoredMessage[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  /** Answers the conversation `history` (ending with a user message) and appends the answer. */
  const answer = useCallback(
    async (history: StoredMessage[], model: string) => {
      setError(null);
      setStreaming(true);
      const abort = new AbortController();
      controller.current = abort;
      let reply = { ...localMessage('assistant', { text: '' }, model), parentId: history.at(-1)?.id ?? null };
      const show = () => setMessages([...history, reply]);
      show();
      try {
        const response = await apiFetch('/v1/chat/completions', {
          json: {
            model,
            stream: true,
            stream_options: { include_usage: true },
            // Failed or empty answers are not part of what the model is shown next.
            messages: history
              .filter((message) => message.role === 'user' || message.content.text !== '')
              .map((message) => ({ role: message.role, content: toOpenAiContent(message.content) })),
          },
          signal: abort.signal,
        });
        reply = { ...reply, generationId: response.headers.get('x-mixgate-generation-id') };
        let text = '';
        const outcome = await readChatStream(response.body!, {
          onText(delta) {
            text += delta;
            reply = { ...reply, content: { text } };
            show();
          },
        });
        reply = { ...reply, cost: outcome.cost, model: outcome.model ?? model };
        if (outcome.error) {
          reply = { ...reply, status: 'interrupted', error: outcome.error };
          setError(outcome.error);
        }
      } catch (caught) {
        if (caught instanceof DOMException && caught.name === 'AbortError') {
          reply = { ...reply, status: 'cancelled' };
        } else {
          reply = { ...reply, status: 'failed', error: errorMessage(caught) };
          setError(errorMessage(caught));
        }
      } finally {
        show();
        controller.current = null;
        setStreaming(false);
        void client.invalidateQueries({ queryKey: BALANCE_KEY });
      }
    },
    [client],
  );

  const send = useCallback(
    (text: string, attachments: Attachment[], model: string, after: StoredMessage[] = messages) => {
      const content: MessageContent = { text, ...(attachments.length > 0 && { attachments }) };
      const user = { ...localMessage('user', content, null), parentId: after.at(-1)?.id ?? null };
      void answer([...after, user], model);
    },
    [answer, messages],
  );

  const branch: BranchMessage[] = messages.map((message) => ({ message, siblings: [message] }));
  return {
    branch,
    streaming,
    error,
    clearError: () => setError(null),
    send: (text: string, attachments: Attachment[], model: string) => send(text, attachments, model),
    /** Answers the user message again, dropping what followed it. */
    regenerate: (userMessage: StoredMessage, model: string) => {
      const at = messages.findIndex((message) => message.id === userMessage.id);
      if (at >= 0) void answer(messages.slice(0, at + 1), model);
    },
    /** Replaces a user message (and what followed it) with the edited text. */
    edit: (message: StoredMessage, text: string, model: string) => {
      const at = messages.findIndex((candidate) => candidate.id === message.id);
      if (at >= 0) send(text, message.content.attachments ?? [], model, messages.slice(0, at));
    },
    stop: () => controller.current?.abort(),
    clear: () => setMessages([]),
  };
}

/**
 * One chat turn from the browser: POST /api/conversations/:id/messages streams the answer while
 * the server stores both messages; the page shows the turn from local state until the stored
 * conversation (refetched after the stream) replaces it. Stop aborts the request: the server
 * cancels the provider's stream and charges only what was delivered.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { BALANCE_KEY } from '../../api/billing';
import { apiFetch, errorMessage } from '../../api/client';
import {
  type Attachment,
  type ConversationWithMessages,
  conversationKey,
  fetchConversation,
  type StoredMessage,
} from '../../api/conversations';
import { readChatStream } from './read-chat-stream';

export interface TurnRequest {
  conversationId: string;
  model: string;
  text: string;
  attachments: Attachment[];
  parentId: string | null;
  /** Regenerate the answer to `parentId` (a user message) instead of sending a new message. */
  regenerate?: boolean;
}

export interface PendingTurn {
  request: TurnRequest;
  /** The user message as shown while streaming (absent when regenerating). */
  userMessage: StoredMessage | null;
  answer: StoredMessage;
}

const now = () => new Date().toISOString();

/** The header naming the stored answer's id (ASSISTANT_MESSAGE_HEADER on the server). */
const ANSWER_ID_HEADER = 'x-mixgate-message-id';

/**
 * Reads the conversation; with `answerId`, until that answer is in it. A stopped answer is stored
 * once the server notices the closed connection, which a busy server may take a while to do; a
 * single read after a fixed pause would then lose the part already shown.
 */
async function readStoredTurn(
  conversationId: string,
  answerId: string | null,
): Promise<ConversationWithMessages> {
  let stored = await fetchConversation(conversationId);
  for (const pauseMs of [50, 100, 200, 400, 800, 1_600, 3_200]) {
    if (answerId === null || stored.messages.some((message) => message.id === answerId)) break;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    stored = await fetchConversation(conversationId);
  }
  return stored;
}

export function useChatTurn() {
  const client = useQueryClient();
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);

  const send = useCallback(
    async (request: TurnRequest) => {
      setError(null);
      const abort = new AbortController();
      controller.current = abort;
      const userMessage: StoredMessage | null = request.regenerate
        ? null
        : {
            id: 'pending-user',
            parentId: request.parentId,
            role: 'user',
            content: {
              text: request.text,
              ...(request.attachments.length > 0 && { attachments: request.attachments }),
            },
            model: null,
            generationId: null,
            cost: null,
            status: 'complete',
            error: null,
            createdAt: now(),
          };
      let answer: StoredMessage = {
        id: 'pending-answer',
        parentId: userMessage ? userMessage.id : request.parentId,
        role: 'assistant',
        content: { text: '' },
        model: request.model,
        generationId: null,
        cost: null,
        status: 'complete',
        error: null,
        createdAt: now(),
      };
      const show = () => setPending({ request, userMessage, answer: { ...answer } });
      // The id the server stores the answer under, from the response's headers.
      let storedAnswerId: string | null = null;
      show();
      try {
        const response = await apiFetch(`/api/conversations/${request.conversationId}/messages`, {
          json: {
            model: request.model,
            content: {
              text: request.text,
              ...(request.attachments.length > 0 && { attachments: request.attachments }),
            },
            parentId: request.parentId,
            ...(request.regenerate && { regenerate: true }),
          },
          signal: abort.signal,
        });
        answer.generationId = response.headers.get('x-mixgate-generation-id');
        storedAnswerId = response.headers.get(ANSWER_ID_HEADER);
        let text = '';
        let frame = 0;
        const outcome = await readChatStream(response.body!, {
          onText(delta) {
            text += delta;
            // One render per animation frame, however fast the tokens come.
            if (frame === 0) {
              frame = requestAnimationFrame(() => {
                frame = 0;
                answer = { ...answer, content: { text } };
                show();
              });
            }
          },
        });
        cancelAnimationFrame(frame);
        answer = { ...answer, content: { text }, cost: outcome.cost, model: outcome.model ?? answer.model };
        if (outcome.error) setError(outcome.error);
        show();
      } catch (caught) {
        if (!(caught instanceof DOMException && caught.name === 'AbortError')) setError(errorMessage(caught));
      } finally {
        controller.current = null;
        // The server has stored the turn (or the failure): show the stored conversation. A read
        // of it sent before the answer was stored (when the page moved to a new conversation's
        // address, say) may still be on its way: cancel it, read again now and put that in the
        // cache, so the page never swaps the streamed answer for a copy without it.
        const key = conversationKey(request.conversationId);
        await client.cancelQueries({ queryKey: key });
        try {
          const waitFor = abort.signal.aborted ? storedAnswerId : null;
          client.setQueryData(key, await readStoredTurn(request.conversationId, waitFor));
        } catch {
          await client.invalidateQueries({ queryKey: key });
        }
        await client.invalidateQueries({ queryKey: ['conversations'] });
        void client.invalidateQueries({ queryKey: BALANCE_KEY });
        setPending(null);
      }
    },
    [client],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { pending, error, send, stop, clearError: () => setError(null) };
}

/**
 * One chat turn of the web app (POST /api/conversations/:id/messages): keep the user's message as
 * a child of `parentId` (or, regenerating, answer an existing user message again), send the
 * branch from its first message down to it through the gateway's own pipeline (runChat, OpenAI
 * stream format), and keep the answer before the stream's last chunk is written, so a browser
 * that reads the conversation again after `[DONE]` finds it.
 *
 * When the request fails before any answer (not enough credit, no provider), the user's message
 * is kept with a `failed` answer holding the error, so the conversation shows what happened and
 * the browser can regenerate from the user message.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionOf } from '../accounts/authenticate.js';
import type { AppContext } from '../app-context.js';
import type { CatalogModel } from '../catalog/catalog-schema.js';
import { conversationMessages, conversations } from '../db/schema/index.js';
import { type ChatAnswer, type ChatProtocol, runChat } from '../gateway/chat/run-chat.js';
import { resolveModel } from '../gateway/metering/metered-request.js';
import { parseOpenAiChatRequest } from '../gateway/protocols/openai/openai-chat-request.js';
import { openAiProtocol } from '../gateway/routes/chat-routes.js';
import { MixgateError } from '../lib/errors.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { sealMessageContent, sealTitle } from './conversation-content.js';
import { branchTo, type MessageRow } from './conversation-tree.js';
import { type ConversationRow, DEFAULT_TITLE, findConversation } from './conversations.js';
import { hasImages, storableText, type TMessageContent, toOpenAiUserContent } from './message-content.js';

export const USER_MESSAGE_HEADER = 'x-mixgate-user-message-id';
export const ASSISTANT_MESSAGE_HEADER = 'x-mixgate-message-id';

export interface ChatTurn {
  model: string;
  content?: TMessageContent;
  parentId: string | null;
  regenerate?: boolean;
  temperature?: number;
  maxTokens?: number;
}

export async function runChatTurn(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  conversationId: string,
  turn: ChatTurn,
): Promise<unknown> {
  const { user, userId } = sessionOf(request);
  if (!user.historyEnabled) {
    throw new MixgateError(
      'history_disabled',
      'Conversation history is off in your preferences: send the chat to /v1/chat/completions, nothing is kept',
    );
  }
  // Cached in this process: a turn reads the key table only once per cache lifetime.
  const key = await dataKeyFor(ctx, userId);
  const conversation = await findConversation(ctx.db, key, userId, conversationId);
  const model = resolveModel(ctx, turn.model, 'text');
  const { userMessage, history } = await planTurn(ctx, key, conversation, turn);
  if (!model.capabilities.includes('vision') && history.some((message) => hasImages(message.content))) {
    throw new MixgateError(
      'invalid_request',
      `${model.id} cannot read images; choose a model that can`,
      400,
      {
        param: 'model',
      },
    );
  }
  // The gateway's own parser: the studio's request is checked exactly as an API client's is.
  const parsed = parseOpenAiChatRequest({
    model: model.id,
    messages: history.flatMap(toOpenAiMessage),
    stream: true,
    stream_options: { include_usage: true },
    ...(turn.temperature === undefined ? {} : { temperature: turn.temperature }),
    ...(turn.maxTokens === undefined ? {} : { max_tokens: turn.maxTokens }),
  });

  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    if (!turn.regenerate) {
      await tx
        .insert(conversationMessages)
        .values({ ...userMessage, ...sealMessageContent(key, userMessage.id, userMessage.content) });
    }
    const title =
      conversation.title === DEFAULT_TITLE && !turn.regenerate ? titleFrom(userMessage.content.text) : null;
    await tx
      .update(conversations)
      .set({
        activeLeafId: userMessage.id,
        model: model.id,
        updatedAt: now,
        ...(title === null ? {} : { title: sealTitle(key, conversation.id, title) }),
      })
      .where(eq(conversations.id, conversation.id));
  });

  const answerId = randomUUID();
  // On the raw response: a stream is written with writeHead after Fastify let go of the reply,
  // and Node merges these into it; an error answer sent by Fastify carries them too.
  reply.raw.setHeader(USER_MESSAGE_HEADER, userMessage.id);
  reply.raw.setHeader(ASSISTANT_MESSAGE_HEADER, answerId);
  let kept = false;
  const keep = async (answer: KeptAnswer) => {
    await keepAnswer(ctx, key, conversation.id, userMessage.id, answerId, model, answer);
    kept = true;
  };
  const protocol: ChatProtocol = { ...openAiProtocol, answered: keep };
  try {
    return await runChat(ctx, request, reply, parsed, protocol);
  } catch (error) {
    if (!kept) {
      const message = error instanceof MixgateError ? error.message : 'The request failed unexpectedly';
      // The client's error is the one that matters; a conversation deleted meanwhile keeps nothing.
      await keep({
        status: 'failed',
        text: '',
        cost: 0n,
        generationId: null,
        model: model.id,
        error: message,
      }).catch((keepError: unknown) =>
        request.log.error({ err: keepError }, 'keeping a failed answer failed'),
      );
    }
    throw error;
  }
}

/** What is kept of an answer; no generation when the request failed before the gateway made one. */
type KeptAnswer = Omit<ChatAnswer, 'reasoning' | 'usage' | 'generationId'> & { generationId: string | null };

interface PlannedTurn {
  /** The message answered: new, or the existing one regenerated (its content opened). */
  userMessage: Omit<typeof conversationMessages.$inferInsert, 'content' | 'attachments'> & {
    id: string;
    content: MessageRow['content'];
  };
  /** The branch sent to the model, ending with that message. */
  history: Array<{ role: string; content: MessageRow['content'] }>;
}

async function planTurn(
  ctx: AppContext,
  key: Buffer,
  conversation: ConversationRow,
  turn: ChatTurn,
): Promise<PlannedTurn> {
  const branch = turn.parentId ? await branchTo(ctx.db, key, conversation.id, turn.parentId) : [];
  const parent = branch.at(-1);
  if (turn.parentId && !parent) {
    throw new MixgateError(
      'invalid_request',
      `parentId: ${turn.parentId} is not a message of this conversation`,
    );
  }
  if (turn.regenerate) {
    if (parent?.role !== 'user') {
      throw new MixgateError(
        'invalid_request',
        'parentId: regenerate answers a user message again; name one',
      );
    }
    return { userMessage: parent, history: branch };
  }
  if (parent && parent.role !== 'assistant') {
    throw new MixgateError(
      'invalid_request',
      'parentId: a new message follows an answer (or null for a first message); to answer a user message again, send regenerate: true',
    );
  }
  if (!turn.content) throw new MixgateError('invalid_request', 'content: Required');
  const userMessage = {
    id: randomUUID(),
    conversationId: conversation.id,
    parentId: turn.parentId,
    role: 'user',
    content: turn.content,
    status: 'complete',
    createdAt: ctx.now(),
  };
  return { userMessage, history: [...branch, userMessage] };
}

/** An earlier answer that never came (failed, or cancelled before any text) is left out. */
function toOpenAiMessage(message: PlannedTurn['history'][number]) {
  if (message.role === 'user') return [{ role: 'user', content: toOpenAiUserContent(message.content) }];
  return message.content.text === '' ? [] : [{ role: 'assistant', content: message.content.text }];
}

async function keepAnswer(
  ctx: AppContext,
  key: Buffer,
  conversationId: string,
  parentId: string,
  answerId: string,
  requested: CatalogModel,
  answer: KeptAnswer,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(conversationMessages).values({
      id: answerId,
      conversationId,
      parentId,
      role: 'assistant',
      ...sealMessageContent(key, answerId, { text: storableText(answer.text) }),
      model: answer.model,
      generationId: answer.generationId,
      cost: answer.generationId === null ? null : answer.cost,
      status: answer.status,
      error: answer.error ?? null,
      createdAt: now,
    });
    await tx
      .update(conversations)
      .set({ activeLeafId: answerId, model: requested.id, updatedAt: now })
      .where(eq(conversations.id, conversationId));
  });
}

const TITLE_LENGTH = 60;

/** The first line of the text, cut on a word boundary to at most 60 characters. */
export function titleFrom(text: string): string | null {
  const line = text
    .split('\n')
    .map((candidate) => candidate.replace(/\s+/g, ' ').trim())
    .find((candidate) => candidate !== '');
  if (!line) return null;
  const characters = Array.from(line);
  if (characters.length <= TITLE_LENGTH) return line;
  // Room for the ellipsis; the cut falls before the word that does not fit.
  const head = characters.slice(0, TITLE_LENGTH).join('');
  const space = head.lastIndexOf(' ');
  const cut = space > 0 ? head.slice(0, space) : characters.slice(0, TITLE_LENGTH - 1).join('');
  return `${cut.trimEnd()}…`;
}

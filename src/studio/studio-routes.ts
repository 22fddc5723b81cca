/**
 * The web app's data (DESIGN.md "Layout": studio): conversations and their chat turns, exports,
 * the user's preferences and reports of outputs, and the gallery of generated media
 * (studio-output-routes.ts). Every route needs the signed-in user's session
 * (and, to change anything, its CSRF header).
 */
import { requireSession, sessionOf } from '../accounts/authenticate.js';
import { preferencesOf, updatePreferences } from '../accounts/preferences.js';
import type { App, AppContext } from '../app-context.js';
import { resolveModel } from '../gateway/metering/metered-request.js';
import { GATEWAY_BODY_LIMIT_BYTES } from '../gateway/routes/chat-routes.js';
import { runChatTurn } from './chat-turn.js';
import {
  conversationSummary,
  conversationView,
  createConversation,
  deleteConversation,
  listConversations,
  messageView,
  readConversation,
  updateConversation,
} from './conversations.js';
import { contentDisposition, exportConversation } from './export-conversation.js';
import { reportOutput } from './output-reports.js';
import { registerStudioOutputRoutes } from './studio-output-routes.js';
import {
  ZChatTurnBody,
  ZConversation,
  ZConversationListResponse,
  ZConversationParams,
  ZConversationResponse,
  ZCreateConversationBody,
  ZExportQuery,
  ZListConversationsQuery,
  ZPreferences,
  ZPreferencesBody,
  ZReportBody,
  ZReportResponse,
  ZUpdateConversationBody,
} from './studio-routes.types.js';

const tags = ['studio'];
const security = [{ session: [] }];

export function registerStudioRoutes(app: App, ctx: AppContext): void {
  // Before validation, so an anonymous caller gets 401 whatever the request says.
  const guard = { preValidation: requireSession(ctx) };
  const params = ZConversationParams;

  app.get(
    '/api/conversations',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Your conversations, newest activity first; q searches titles and messages',
        querystring: ZListConversationsQuery,
        response: { 200: ZConversationListResponse },
      },
    },
    async (request) => {
      const page = await listConversations(ctx, sessionOf(request).userId, request.query);
      return {
        conversations: page.conversations.map(conversationSummary),
        nextBefore: page.nextBefore,
      };
    },
  );

  app.post(
    '/api/conversations',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Start a conversation',
        body: ZCreateConversationBody,
        response: { 201: ZConversation },
      },
    },
    async (request, reply) => {
      const { model, title } = request.body;
      const row = await createConversation(
        ctx,
        sessionOf(request).userId,
        { title, model: model === undefined ? undefined : resolveModel(ctx, model, 'text').id },
        ctx.now(),
      );
      return reply.code(201).send(conversationView(row));
    },
  );

  app.get(
    '/api/conversations/:id',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'A conversation with every message of every branch',
        params,
        response: { 200: ZConversationResponse },
      },
    },
    async (request) => {
      const { conversation, messages } = await readConversation(
        ctx,
        sessionOf(request).userId,
        request.params.id,
      );
      return { conversation: conversationView(conversation), messages: messages.map(messageView) };
    },
  );

  app.patch(
    '/api/conversations/:id',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Rename it, or show another branch',
        params,
        body: ZUpdateConversationBody,
        response: { 200: ZConversation },
      },
    },
    async (request) =>
      conversationView(
        await updateConversation(ctx, sessionOf(request).userId, request.params.id, request.body),
      ),
  );

  app.delete(
    '/api/conversations/:id',
    { ...guard, schema: { tags, security, summary: 'Delete it with all its messages', params } },
    async (request, reply) => {
      await deleteConversation(ctx.db, sessionOf(request).userId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/conversations/:id/export',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Download the branch shown, as Markdown or JSON',
        params,
        querystring: ZExportQuery,
      },
    },
    async (request, reply) => {
      const download = await exportConversation(
        ctx,
        sessionOf(request).userId,
        request.params.id,
        request.query.format,
        { currency: ctx.config.CURRENCY, now: ctx.now() },
      );
      return reply
        .header('content-type', download.contentType)
        .header('content-disposition', contentDisposition(download.filename, download.title))
        .header('cache-control', 'no-store')
        .send(download.body);
    },
  );

  app.post(
    '/api/conversations/:id/messages',
    {
      ...guard,
      bodyLimit: GATEWAY_BODY_LIMIT_BYTES,
      schema: {
        tags,
        security,
        summary: 'A chat turn: keeps the message, streams the answer as /v1/chat/completions does',
        description:
          'Answers with an OpenAI chat.completion.chunk stream ending with the usage chunk (usage.cost) and ' +
          '[DONE]. Headers x-mixgate-user-message-id and x-mixgate-message-id name the kept messages. ' +
          '409 history_disabled when history is off in the preferences.',
        params,
        body: ZChatTurnBody,
      },
    },
    async (request, reply) => runChatTurn(ctx, request, reply, request.params.id, request.body),
  );

  app.get(
    '/api/account/preferences',
    { ...guard, schema: { tags: ['account'], security, response: { 200: ZPreferences } } },
    async (request) => preferencesOf(sessionOf(request).user),
  );

  app.put(
    '/api/account/preferences',
    {
      ...guard,
      schema: { tags: ['account'], security, body: ZPreferencesBody, response: { 200: ZPreferences } },
    },
    async (request) => updatePreferences(ctx.db, sessionOf(request).userId, request.body, ctx.now()),
  );

  app.post(
    '/api/reports',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Report an output of one of your generations',
        body: ZReportBody,
        response: { 201: ZReportResponse },
      },
    },
    async (request, reply) => {
      const report = await reportOutput(ctx, sessionOf(request).userId, request.body, ctx.now());
      return reply.code(201).send(report);
    },
  );

  registerStudioOutputRoutes(app, ctx);
}

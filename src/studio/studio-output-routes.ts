/**
 * The studio's generations and gallery (/api/studio): images and speech made at once, video, music
 * and other long generations as jobs, all through the gateway's metered pipeline; the outputs
 * listed, read (polled while a job runs), served, cancelled and deleted. Session only; another
 * user's output is a 404 like a missing one.
 */
import { requireSession, sessionOf } from '../accounts/authenticate.js';
import type { App, AppContext } from '../app-context.js';
import { contentDisposition, filenameStem } from './export-conversation.js';
import { generateImageOutput, generateSpeechOutput, startJobOutput } from './generate-output.js';
import {
  ZImageOutputBody,
  ZJobOutputBody,
  ZListOutputsQuery,
  ZOutputFileParams,
  ZOutputFileQuery,
  ZOutputListResponse,
  ZOutputParams,
  ZSpeechOutputBody,
  ZStudioOutput,
} from './studio-output-routes.types.js';
import { cancelOutput, deleteOutput, listOutputs, outputFile, readOutput } from './studio-outputs.js';

const tags = ['studio'];
const security = [{ session: [] }];
const HISTORY_OFF = '409 history_disabled when history is off in the preferences: nothing is held or kept.';

export function registerStudioOutputRoutes(app: App, ctx: AppContext): void {
  // Before validation, so an anonymous caller gets 401 whatever the request says.
  const guard = { preValidation: requireSession(ctx) };
  const params = ZOutputParams;

  app.post(
    '/api/studio/images',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Generate images and keep them in the gallery',
        description: `Answers once the images are made and stored. ${HISTORY_OFF}`,
        body: ZImageOutputBody,
        response: { 201: ZStudioOutput },
      },
    },
    async (request, reply) => {
      const output = await generateImageOutput(ctx, request, reply, request.body);
      return reply.code(201).send(output);
    },
  );

  app.post(
    '/api/studio/speech',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Speak a text and keep the audio in the gallery',
        description: HISTORY_OFF,
        body: ZSpeechOutputBody,
        response: { 201: ZStudioOutput },
      },
    },
    async (request, reply) => {
      const output = await generateSpeechOutput(ctx, request, reply, request.body);
      return reply.code(201).send(output);
    },
  );

  app.post(
    '/api/studio/jobs',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Start a long generation (video, music…) as a job kept in the gallery',
        description: `Answers 202 with the output queued; poll GET /api/studio/outputs/:id. ${HISTORY_OFF}`,
        body: ZJobOutputBody,
        response: { 202: ZStudioOutput },
      },
    },
    async (request, reply) => reply.code(202).send(await startJobOutput(ctx, request, request.body)),
  );

  app.get(
    '/api/studio/outputs',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Your outputs, newest first, a page at a time',
        querystring: ZListOutputsQuery,
        response: { 200: ZOutputListResponse },
      },
    },
    async (request) => {
      const { kind, limit, before } = request.query;
      return listOutputs(ctx, sessionOf(request).userId, {
        kind,
        limit,
        before: before && { instant: before.updatedAt, id: before.id },
      });
    },
  );

  app.get(
    '/api/studio/outputs/:id',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'One output; a running job’s status and progress',
        params,
        response: { 200: ZStudioOutput },
      },
    },
    async (request) => readOutput(ctx, sessionOf(request).userId, request.params.id),
  );

  app.get(
    '/api/studio/outputs/:id/files/:index',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'A file of an output, shown inline or, with download=1, as an attachment',
        params: ZOutputFileParams,
        querystring: ZOutputFileQuery,
      },
    },
    async (request, reply) => {
      const { id, index } = request.params;
      const file = await outputFile(ctx, sessionOf(request).userId, id, index);
      const extension = file.file.slice(file.file.lastIndexOf('.'));
      const number = file.count > 1 ? `-${index + 1}` : '';
      const filename = `${filenameStem(file.prompt, 'output')}${number}${extension}`;
      const download = request.query.download === '1' || request.query.download === 'true';
      // A provider's file, shown from our origin: never sniffed, never run as a page.
      return reply
        .header('content-type', file.mediaType)
        .header(
          'content-disposition',
          download ? contentDisposition(filename, file.prompt) : `inline; filename="${filename}"`,
        )
        .header('cache-control', 'private')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.data);
    },
  );

  app.post(
    '/api/studio/outputs/:id/cancel',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Cancel a queued or running job; nothing is charged',
        description: '409 conflict when the output is not a job that is still running.',
        params,
        response: { 202: ZStudioOutput },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await cancelOutput(ctx, sessionOf(request).userId, request.params.id)),
  );

  app.delete(
    '/api/studio/outputs/:id',
    {
      ...guard,
      schema: {
        tags,
        security,
        summary: 'Delete an output and its files (a running job is cancelled)',
        params,
      },
    },
    async (request, reply) => {
      await deleteOutput(ctx, sessionOf(request).userId, request.params.id);
      return reply.code(204).send();
    },
  );
}

/**
 * New studio outputs, made through the gateway's own metered pipeline exactly as /v1 makes them:
 * images and speech through runMedia with the /v1 endpoints' own specs (held, routed, settled and
 * recorded before the answer), video, music and other long generations through queueJob (held,
 * then run by the job steps, which survive a restart). The output is kept only when the user's
 * history is on; otherwise the request is refused before anything is held, and the web app calls
 * /v1 itself, keeping nothing.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionOf } from '../accounts/authenticate.js';
import type { AppContext } from '../app-context.js';
import { studioOutputs } from '../db/schema/index.js';
import { queueJob } from '../gateway/jobs/create-job.js';
import { runMedia } from '../gateway/media/run-media.js';
import { imageGenerationSpec, speechMediaType, speechSpec } from '../gateway/routes/media-routes.js';
import { MixgateError } from '../lib/errors.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { storableText } from './message-content.js';
import { deleteOutputFiles, storeOutputFiles } from './output-files.js';
import type { OutputKind, TStudioOutput } from './studio-output-routes.types.js';
import { openOutput, outputView, readOutput, sealPrompt } from './studio-outputs.js';

/** The gallery shows this much of a prompt; the rest is not kept. */
export const MAX_KEPT_PROMPT = 4000;

export interface ImageOutputRequest {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
  quality?: string;
  style?: string;
}

export interface SpeechOutputRequest {
  model: string;
  input: string;
  voice?: string;
  format?: string;
  speed?: number;
}

export const DEFAULT_VOICE = 'alloy';

/** The signed-in user, whose history must be on: the studio keeps what it makes. */
function historyOwner(request: FastifyRequest): string {
  const { user, userId } = sessionOf(request);
  if (!user.historyEnabled) {
    throw new MixgateError(
      'history_disabled',
      'History is off in your preferences: generate through /v1 instead, nothing is kept',
    );
  }
  return userId;
}

export async function generateImageOutput(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  body: ImageOutputRequest,
): Promise<TStudioOutput> {
  const userId = historyOwner(request);
  // Before anything is charged: an erased user's content key is gone, and nothing could be kept.
  const key = await dataKeyFor(ctx, userId);
  const { spec } = imageGenerationSpec({
    model: body.model,
    prompt: body.prompt,
    n: body.n ?? 1,
    ...(body.size === undefined ? {} : { size: body.size }),
    ...(body.quality === undefined ? {} : { quality: body.quality }),
    ...(body.style === undefined ? {} : { style: body.style }),
  });
  const answer = await runMedia(ctx, request, reply, spec);
  return keepOutput(ctx, userId, key, {
    kind: 'image',
    model: body.model,
    prompt: body.prompt,
    generationId: answer.generationId,
    files: answer.result.images,
  });
}

export async function generateSpeechOutput(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  body: SpeechOutputRequest,
): Promise<TStudioOutput> {
  const userId = historyOwner(request);
  const key = await dataKeyFor(ctx, userId);
  const { request: speech, spec } = speechSpec({
    model: body.model,
    input: body.input,
    voice: body.voice ?? DEFAULT_VOICE,
    response_format: body.format ?? 'mp3',
    ...(body.speed === undefined ? {} : { speed: body.speed }),
  });
  const answer = await runMedia(ctx, request, reply, spec);
  const audio = answer.result.audio;
  return keepOutput(ctx, userId, key, {
    kind: 'speech',
    model: body.model,
    prompt: body.input,
    generationId: answer.generationId,
    files:
      audio.length === 0 ? [] : [{ data: audio, mediaType: speechMediaType(answer.result, speech.format) }],
  });
}

/** Starts a job (202): held now, run and polled by the job steps; the page polls the output. */
export async function startJobOutput(
  ctx: AppContext,
  request: FastifyRequest,
  body: { model: string; input: Record<string, unknown> },
): Promise<TStudioOutput> {
  const userId = historyOwner(request);
  const key = await dataKeyFor(ctx, userId);
  const { row: job } = await queueJob(ctx, request, { model: body.model, input: body.input });
  const model = ctx.gateway.catalog.resolve(body.model)!;
  const id = randomUUID();
  const [row] = await ctx.db
    .insert(studioOutputs)
    .values({
      id,
      userId,
      kind: model.modality,
      model: model.id,
      prompt: sealPrompt(key, id, keptPrompt(promptOf(body.input))),
      generationId: job.generationId,
      jobId: job.id,
      createdAt: ctx.now(),
    })
    .returning();
  // The job as queued: its first step may already be running, the answer still says queued.
  return outputView(ctx, openOutput(key, row!), { generations: new Map(), jobs: new Map([[job.id, job]]) });
}

/** What the gallery shows of a job's inputs: its prompt (or text), if it has one. */
function promptOf(input: Record<string, unknown>): string {
  for (const key of ['prompt', 'text', 'lyrics']) {
    const value = input[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return '';
}

function keptPrompt(prompt: string): string {
  const characters = Array.from(storableText(prompt.trim()));
  if (characters.length <= MAX_KEPT_PROMPT) return characters.join('');
  return `${characters.slice(0, MAX_KEPT_PROMPT - 1).join('')}…`;
}

/** Writes the files, then the row; an output whose row cannot be written leaves no file behind. */
async function keepOutput(
  ctx: AppContext,
  userId: string,
  key: Buffer,
  output: {
    kind: OutputKind;
    model: string;
    prompt: string;
    generationId: string;
    files: ReadonlyArray<{ data: Buffer; mediaType: string }>;
  },
): Promise<TStudioOutput> {
  const id = randomUUID();
  const files = await storeOutputFiles(ctx.config.dataDir, userId, key, id, output.files);
  try {
    await ctx.db.insert(studioOutputs).values({
      id,
      userId,
      kind: output.kind,
      // The catalog id, also when the form named the model by an alias.
      model: ctx.gateway.catalog.resolve(output.model)?.id ?? output.model,
      prompt: sealPrompt(key, id, keptPrompt(output.prompt)),
      generationId: output.generationId,
      files,
      createdAt: ctx.now(),
    });
  } catch (error) {
    await deleteOutputFiles(ctx.config.dataDir, userId, files);
    throw error;
  }
  return readOutput(ctx, userId, id);
}

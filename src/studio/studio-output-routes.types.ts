import { z } from 'zod';
import { ZAmount, ZBefore, ZInstant, ZModelId } from './studio-routes.types.js';

export const OUTPUT_KINDS = ['image', 'speech', 'video', 'music'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
export const OUTPUT_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const SPEECH_FORMATS = ['mp3', 'wav', 'opus', 'aac', 'flac'] as const;
export const MAX_OUTPUTS_PAGE = 100;

const ZPrompt = z.string().trim().min(1, 'must not be empty');

export const ZImageOutputBody = z.strictObject({
  model: ZModelId,
  prompt: ZPrompt.max(32_000),
  size: z
    .string()
    .regex(/^(?:\d{2,5}x\d{2,5}|auto)$/, "must be 'WIDTHxHEIGHT' (e.g. '1024x1024') or 'auto'")
    .optional(),
  n: z.int().min(1).max(4).optional().describe('How many images, 1 to 4 (default 1)'),
  quality: z.enum(['auto', 'standard', 'hd', 'low', 'medium', 'high']).optional(),
  style: z.enum(['vivid', 'natural']).optional(),
});

export const ZSpeechOutputBody = z.strictObject({
  model: ZModelId,
  input: ZPrompt.max(4096).describe('The text to speak'),
  voice: z.string().trim().min(1).max(200).optional().describe('A voice of the model (default "alloy")'),
  format: z.enum(SPEECH_FORMATS, { error: `must be one of ${SPEECH_FORMATS.join(', ')}` }).optional(),
  speed: z.number().min(0.25).max(4).optional(),
});

export const ZJobOutputBody = z.strictObject({
  model: ZModelId.describe('A model that runs as a job (video, music, some images)'),
  input: z
    .record(z.string(), z.unknown())
    .refine((input) => Object.keys(input).length > 0, 'must not be empty')
    .describe("The model's own inputs, e.g. { prompt, duration }"),
});

export const ZOutputParams = z.strictObject({ id: z.uuid() });
export const ZOutputFileParams = z.strictObject({
  id: z.uuid(),
  index: z.coerce.number().int().min(0).max(99),
});
export const ZOutputFileQuery = z.strictObject({
  download: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .describe('1: as an attachment named after the prompt'),
});

export const ZListOutputsQuery = z.strictObject({
  kind: z.enum(OUTPUT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_OUTPUTS_PAGE).default(50),
  before: ZBefore.optional().describe('The nextBefore of the previous page'),
});

export const ZStudioOutput = z.object({
  id: z.uuid(),
  kind: z.enum(OUTPUT_KINDS),
  model: z.string().describe('The model that answered (or, until a job starts, the one asked for)'),
  provider: z.string().nullable().describe('The provider that answered; null until known'),
  prompt: z.string().describe('At most its first 4,000 characters'),
  status: z.enum(OUTPUT_STATUSES),
  progress: z.number().nullable().describe("A job's percent, when its provider tells"),
  cost: ZAmount.nullable().describe('What it cost; null while a job runs'),
  error: z.string().nullable(),
  createdAt: ZInstant,
  generationId: z.string().nullable().describe('For GET /v1/generations/:id and reports'),
  jobId: z.string().nullable(),
  files: z.array(
    z.object({
      url: z.string().describe('Relative: /api/studio/outputs/<id>/files/<n>'),
      mediaType: z.string(),
      bytes: z.number(),
    }),
  ),
});
export type TStudioOutput = z.infer<typeof ZStudioOutput>;

export const ZOutputListResponse = z.object({
  outputs: z.array(ZStudioOutput),
  nextBefore: z.string().nullable().describe('Pass as `before` for the next page; null on the last page'),
});

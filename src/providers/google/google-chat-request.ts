/**
 * The internal ChatRequest -> Gemini's GenerateContentRequest: contents, systemInstruction,
 * generationConfig and tools (https://ai.google.dev/api/generate-content#request-body).
 */
import { z } from 'zod';
import type { ChatMessage, ChatRequest, ContentPart, ReasoningEffort } from '../spec.js';
import { ProviderError } from '../spec.js';
import type { TGenerateContentRequest, TGooglePart } from './google-api-types.js';
import { GOOGLE } from './google-error.js';

/**
 * Marks the thought signatures we hand out in `reasoning`, so a signature another provider made
 * (an Anthropic thinking block replayed after a model switch) is never sent to Google, which would
 * refuse the whole request.
 */
export const SIGNATURE_PREFIX = 'google:';

/**
 * Gemini 3 refuses a replayed function call without its thought signature (400). When the client
 * dropped it (OpenAI's protocol has no place for it), Google documents this value to skip the check:
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** Gemini 2.5 takes a token budget, not an effort; these sit inside every 2.5 model's range. */
const EFFORT_BUDGET: Record<ReasoningEffort, number> = { minimal: 512, low: 1024, medium: 8192, high: 24576 };

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  gif: 'image/gif',
};

const ZArguments = z.record(z.string(), z.unknown());

export function buildGenerateContentRequest(request: ChatRequest): TGenerateContentRequest {
  const body: TGenerateContentRequest = { contents: convertMessages(request.messages, request.model) };
  const system = request.messages.flatMap((message) =>
    message.role === 'system' && message.content !== '' ? [{ text: message.content }] : [],
  );
  if (system.length > 0) body.systemInstruction = { parts: system };

  const config: NonNullable<TGenerateContentRequest['generationConfig']> = {
    maxOutputTokens: request.maxOutputTokens,
  };
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stop?.length) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'json_object' || format?.type === 'json_schema')
    config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') config.responseJsonSchema = format.schema;
  const reasoning = request.reasoning;
  if (reasoning !== undefined) {
    if (reasoning.budgetTokens !== undefined) {
      config.thinkingConfig = { thinkingBudget: reasoning.budgetTokens, includeThoughts: true };
    } else if (reasoning.effort !== undefined) {
      // Gemini 3 takes a level and refuses a level and a budget together; 2.5 knows only budgets.
      config.thinkingConfig = signaturesRequired(request.model)
        ? { thinkingLevel: reasoning.effort, includeThoughts: true }
        : { thinkingBudget: EFFORT_BUDGET[reasoning.effort], includeThoughts: true };
    } else {
      config.thinkingConfig = { includeThoughts: true };
    }
  }
  body.generationConfig = config;

  if (request.tools?.length) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description !== undefined && { description: tool.description }),
          // A function without arguments is declared without a schema; `{}` describes no object.
          ...(Object.keys(tool.parameters).length > 0 && { parametersJsonSchema: tool.parameters }),
        })),
      },
    ];
    const choice = request.toolChoice;
    if (choice !== undefined) {
      body.toolConfig = {
        functionCallingConfig:
          typeof choice === 'object'
            ? { mode: 'ANY', allowedFunctionNames: [choice.name] }
            : { mode: choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO' },
      };
    }
  }
  return body;
}

/**
 * Gemini's turns alternate `user` and `model`: tool results are user turns of functionResponse
 * parts, and consecutive turns of one role are merged (parallel calls need all their results in
 * the one turn after the call).
 */
function convertMessages(messages: ChatMessage[], model: string): { role: string; parts: TGooglePart[] }[] {
  const contents: { role: string; parts: TGooglePart[] }[] = [];
  const toolNames = new Map<string, string>();
  const append = (role: 'user' | 'model', parts: TGooglePart[]) => {
    // Gemini refuses a turn without parts (an empty assistant message, say).
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (message.role === 'user') {
      append('user', message.content.flatMap(userPart));
    } else if (message.role === 'assistant') {
      for (const toolCall of message.toolCalls ?? []) toolNames.set(toolCall.id, toolCall.name);
      append('model', assistantParts(message, model));
    } else if (message.role === 'tool') {
      // Gemini matches a result to its call by the function's name, which the result does not carry.
      const name = toolNames.get(message.toolCallId);
      if (name === undefined) {
        throw new ProviderError(
          'bad_request',
          `${GOOGLE}: a tool result answers a call no earlier message made`,
        );
      }
      // Google's documented keys: `output` for a result, `error` for a failure.
      const response = message.isError ? { error: message.content } : { output: message.content };
      append('user', [{ functionResponse: { name, response } }]);
    }
  }
  return contents;
}

function assistantParts(message: Extract<ChatMessage, { role: 'assistant' }>, model: string): TGooglePart[] {
  const parts: TGooglePart[] = [];
  if (message.content !== '') parts.push({ text: message.content });
  const signature =
    ownSignature(message.reasoning) ?? (signaturesRequired(model) ? SKIP_SIGNATURE : undefined);
  (message.toolCalls ?? []).forEach((toolCall, index) => {
    const part: TGooglePart = {
      functionCall: { name: toolCall.name, args: parseArguments(toolCall.arguments) },
    };
    // Of parallel calls Gemini signs only the first, and wants the signature back on it.
    if (index === 0 && signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

/** The last signature we handed out for this turn (a function call's comes after its thoughts'). */
function ownSignature(reasoning: { signature?: string }[] | undefined): string | undefined {
  const own = reasoning?.findLast((entry) => entry.signature?.startsWith(SIGNATURE_PREFIX));
  return own?.signature?.slice(SIGNATURE_PREFIX.length);
}

/** Gemini 3 and later: thought signatures are checked and thinking takes levels. */
function signaturesRequired(model: string): boolean {
  const major = /(?:^|\/)gemini-(\d+)/.exec(model)?.[1];
  return major !== undefined && Number(major) >= 3;
}

function parseArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = ZArguments.safeParse(value);
  if (!parsed.success || Array.isArray(value)) {
    throw new ProviderError('bad_request', `${GOOGLE} takes tool call arguments only as a JSON object`);
  }
  return parsed.data;
}

function userPart(part: ContentPart): TGooglePart[] {
  if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
  return [imagePart(part.url)];
}

/**
 * A data: URL goes inline. An https URL goes as fileData: since 2026 the Gemini API fetches public
 * and signed URLs itself (https://blog.google/innovation-and-ai/technology/developers-tools/gemini-api-new-file-limits),
 * so the image never passes through us. fileData needs a media type: taken from the path's
 * extension, JPEG when there is none (CDN URLs rarely have one).
 */
function imagePart(url: string): TGooglePart {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const meta = comma === -1 ? [] : url.slice(5, comma).split(';');
    const mimeType = meta[0];
    if (!mimeType)
      throw new ProviderError('bad_request', `${GOOGLE}: an image data URL lacks its media type`);
    const payload = url.slice(comma + 1);
    if (meta.includes('base64')) return { inlineData: { mimeType, data: payload } };
    try {
      return { inlineData: { mimeType, data: Buffer.from(decodeURIComponent(payload)).toString('base64') } };
    } catch {
      throw new ProviderError('bad_request', `${GOOGLE}: an image data URL is not correctly encoded`);
    }
  }
  if (!url.startsWith('https://')) {
    throw new ProviderError('bad_request', `${GOOGLE} takes images as https: or data: URLs`);
  }
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return { fileData: { mimeType: IMAGE_TYPES[extension ?? ''] ?? 'image/jpeg', fileUri: url } };
}

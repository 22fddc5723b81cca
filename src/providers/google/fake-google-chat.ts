/**
 * The Google fake's generateContent and streamGenerateContent: the 400s Gemini gives malformed
 * conversations, and the answer (thoughts, text or a function call, usage) as one response or as
 * stream events.
 */
import { randomBytes } from 'node:crypto';
import type { FakeScenario } from '../fakes/fake-server.js';
import { fakeReplyText, fakeTokenCount, splitIntoChunks } from '../fakes/fake-server.js';
import type { TGenerateContentRequest, TGooglePart } from './google-api-types.js';

/** What the fake signs its function calls with (real signatures are longer, opaque base64). */
export const FAKE_THOUGHT_SIGNATURE = 'CiQBjz1rX2Zha2Utc2lnbmF0dXJlLWZyb20tdGhlLWdvb2dsZS1mYWtl';

/** The 400s Google answers to malformed conversations. */
export function checkRequest(body: TGenerateContentRequest, model: string): string | undefined {
  if (body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n';
  const signed = isGemini3OrLater(model);
  for (const [index, content] of body.contents.entries()) {
    const parts = content.parts ?? [];
    if (parts.length === 0) {
      return `* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.\n`;
    }
    const calls = parts.filter((part) => part.functionCall !== undefined);
    if (calls.length === 0) continue;
    if (signed && calls[0]!.thoughtSignature === undefined) {
      return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${calls[0]!.functionCall!.name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`;
    }
    const next = body.contents[index + 1];
    const responses = (next?.parts ?? []).filter((part) => part.functionResponse !== undefined).length;
    if (next !== undefined && responses !== calls.length) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  return undefined;
}

function isGemini3OrLater(model: string): boolean {
  return Number(/(?:^|\/)gemini-(\d+)/.exec(model)?.[1] ?? 0) >= 3;
}

export interface FakeAnswer {
  model: string;
  responseId: string;
  /** The thought summary, when the request asked for thoughts. */
  thought?: string;
  text: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  promptTokens: number;
  candidatesTokens: number;
  thoughtsTokens?: number;
  omitUsage: boolean;
  /** Gemini 3 signs its answers, function calls always. */
  signed: boolean;
}

export function planAnswer(body: TGenerateContentRequest, scenario: FakeScenario, model: string): FakeAnswer {
  const userText = lastUserText(body);
  const declarations = body.tools?.flatMap((tool) => tool.functionDeclarations ?? []) ?? [];
  const calling = body.toolConfig?.functionCallingConfig;
  const last = body.contents.at(-1);
  const lastIsUserMessage = last?.role !== 'model' && last?.parts?.at(-1)?.functionResponse === undefined;
  let functionCall: FakeAnswer['functionCall'];
  if (scenario.toolCall) {
    functionCall = { name: scenario.toolCall.name, args: parseObject(scenario.toolCall.arguments) };
  } else if (
    !scenario.empty &&
    scenario.text === undefined &&
    declarations.length > 0 &&
    calling?.mode !== 'NONE' &&
    lastIsUserMessage
  ) {
    functionCall = {
      name: calling?.allowedFunctionNames?.[0] ?? declarations[0]!.name,
      args: { query: 'fake' },
    };
  }
  const text = scenario.empty || functionCall ? '' : (scenario.text ?? fakeReplyText(userText, 'google'));
  const thinking = body.generationConfig?.thinkingConfig;
  const thinks = thinking !== undefined && thinking.thinkingBudget !== 0 && !scenario.empty;
  const thoughtText = `Thinking about how to answer: ${userText.trim().slice(0, 40)}`;
  const answered = functionCall ? JSON.stringify(functionCall) : text;
  return {
    model,
    responseId: randomBytes(12).toString('base64url'),
    ...(thinks && thinking.includeThoughts && { thought: thoughtText }),
    text,
    ...(functionCall && { functionCall }),
    promptTokens: fakeTokenCount(promptText(body)),
    candidatesTokens: answered === '' ? 0 : fakeTokenCount(answered),
    ...(thinks && { thoughtsTokens: fakeTokenCount(thoughtText) }),
    omitUsage: scenario.omitUsage === true,
    signed: isGemini3OrLater(model),
  };
}

/** generateContent's answer: one event with all the parts. */
export function answerBody(answer: FakeAnswer): Record<string, unknown> {
  return { ...answerEvent(answer, answerParts(answer), 'STOP', answer.candidatesTokens), ...meta(answer) };
}

function answerParts(answer: FakeAnswer): TGooglePart[] {
  const parts: TGooglePart[] = [];
  if (answer.thought !== undefined) parts.push({ text: answer.thought, thought: true });
  if (answer.functionCall)
    parts.push({ functionCall: answer.functionCall, thoughtSignature: FAKE_THOUGHT_SIGNATURE });
  else if (answer.text !== '') {
    parts.push(
      answer.signed ? { text: answer.text, thoughtSignature: FAKE_THOUGHT_SIGNATURE } : { text: answer.text },
    );
  }
  return parts;
}

/** The stream: thoughts, then the text word by word or the call whole, as Gemini sends them. */
export function streamEvents(answer: FakeAnswer): unknown[] {
  const events: unknown[] = [];
  const push = (parts: TGooglePart[], candidatesTokens: number, finishReason?: string) =>
    events.push({ ...answerEvent(answer, parts, finishReason, candidatesTokens), ...meta(answer) });
  if (answer.thought !== undefined) push([{ text: answer.thought, thought: true }], 0);
  if (answer.functionCall) {
    push(
      [{ functionCall: answer.functionCall, thoughtSignature: FAKE_THOUGHT_SIGNATURE }],
      answer.candidatesTokens,
    );
    push([{ text: '' }], answer.candidatesTokens, 'STOP');
    return events;
  }
  const words = splitIntoChunks(answer.text);
  if (words.length === 0) {
    push([], 0, 'STOP');
    return events;
  }
  let sent = '';
  words.forEach((word, index) => {
    sent += word;
    const lastWord = index === words.length - 1;
    push([{ text: word }], fakeTokenCount(sent), lastWord && !answer.signed ? 'STOP' : undefined);
  });
  // Gemini 3 ends with an empty text part that carries the signature and the finish reason.
  if (answer.signed)
    push([{ text: '', thoughtSignature: FAKE_THOUGHT_SIGNATURE }], answer.candidatesTokens, 'STOP');
  return events;
}

function answerEvent(
  answer: FakeAnswer,
  parts: TGooglePart[],
  finishReason: string | undefined,
  candidatesTokens: number,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = {
    content: parts.length > 0 ? { parts, role: 'model' } : { role: 'model' },
    ...(finishReason !== undefined && { finishReason }),
    index: 0,
  };
  const event: Record<string, unknown> = { candidates: [candidate] };
  if (!answer.omitUsage) {
    const thoughts = answer.thoughtsTokens ?? 0;
    event.usageMetadata = {
      promptTokenCount: answer.promptTokens,
      ...(candidatesTokens > 0 && { candidatesTokenCount: candidatesTokens }),
      totalTokenCount: answer.promptTokens + candidatesTokens + thoughts,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.promptTokens }],
      ...(answer.thoughtsTokens !== undefined && { thoughtsTokenCount: answer.thoughtsTokens }),
    };
  }
  return event;
}

function meta(answer: FakeAnswer): Record<string, unknown> {
  return { modelVersion: answer.model.replace(/^models\//, ''), responseId: answer.responseId };
}

function lastUserText(body: TGenerateContentRequest): string {
  for (const content of [...body.contents].reverse()) {
    if (content.role === 'model') continue;
    const texts = (content.parts ?? []).flatMap((part) => (part.text !== undefined ? [part.text] : []));
    if (texts.length > 0) return texts.join(' ');
  }
  return '';
}

function promptText(body: TGenerateContentRequest): string {
  const contents = [...(body.systemInstruction ? [body.systemInstruction] : []), ...body.contents];
  return contents
    .flatMap((content) => content.parts ?? [])
    .map((part) => part.text ?? JSON.stringify(part.functionCall ?? part.functionResponse ?? ''))
    .join('\n');
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // A test's deliberately broken arguments: Google only ever sends objects.
  }
  return {};
}

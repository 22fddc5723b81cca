/**
 * What the OpenAI fake refuses before answering a chat request, as OpenAI and each flavour do:
 * OpenAI's unknown arguments and reasoning-model rules, Mistral's extra fields and tool call ids,
 * DeepSeek's reasoning replay rule and string-only content.
 */
import type { FakeOpenAiFlavour } from './fake-openai.js';
import type { Refusal } from './fake-openai-error.js';
import { ZOpenAiChatRequest } from './openai-api-types.js';

export interface LooseMessage {
  role?: string;
  content?: unknown;
  tool_calls?: unknown[];
  reasoning_content?: unknown;
}

export interface LooseChatBody {
  model?: string;
  messages?: LooseMessage[];
  tools?: { function?: { name?: string } }[];
  tool_choice?: string | { function?: { name?: string } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

const MISTRAL_FIELDS = new Set(
  'model messages temperature top_p max_tokens stream stop random_seed response_format tools tool_choice presence_penalty frequency_penalty n parallel_tool_calls prediction prompt_mode safe_prompt'.split(
    ' ',
  ),
);

export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

export function validateChat(body: LooseChatBody, flavour: FakeOpenAiFlavour): Refusal | undefined {
  if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
    return { status: 400, message: "Missing required parameter: 'messages'.", param: 'messages' };
  }
  if (flavour === 'mistral') {
    const ids = body.messages.flatMap((message) => [
      ...(message.tool_calls ?? []).map((toolCall) => (toolCall as { id?: unknown }).id),
      ...(message.role === 'tool' ? [(message as { tool_call_id?: unknown }).tool_call_id] : []),
    ]);
    const badId = ids.find((id) => typeof id !== 'string' || !/^[a-zA-Z0-9]{9}$/.test(id));
    if (badId !== undefined) {
      return {
        status: 400,
        message: `Tool call id was ${badId} but must be a-z, A-Z, 0-9, with a length of 9.`,
      };
    }
    const extra = Object.keys(body).find((key) => !MISTRAL_FIELDS.has(key));
    if (!extra) return undefined;
    const detail = [
      {
        type: 'extra_forbidden',
        loc: ['body', extra],
        msg: 'Extra inputs are not permitted',
        input: body[extra],
      },
    ];
    return { status: 422, message: 'Extra inputs are not permitted', detail };
  }
  if (flavour === 'deepseek') {
    const index = body.messages.findIndex(
      (message) =>
        message.role === 'assistant' && message.tool_calls && typeof message.reasoning_content !== 'string',
    );
    if (index >= 0) {
      return {
        status: 400,
        message: `Missing \`reasoning_content\` field in the assistant message at message index ${index}`,
      };
    }
    if (
      body.messages.some((message) => typeof message.content !== 'string' && message.role !== 'assistant')
    ) {
      return {
        status: 422,
        message: 'Failed to deserialize the JSON body into the target type: expected a string',
      };
    }
    return undefined;
  }
  if (flavour !== 'openai') return undefined;
  const parsed = ZOpenAiChatRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const param = unknown ?? issue.path.join('.');
    const message = unknown
      ? `Unrecognized request argument supplied: ${unknown}`
      : `Invalid value for '${param}'.`;
    return { status: 400, message, param, code: unknown ? 'unknown_parameter' : 'invalid_value' };
  }
  const request = parsed.data;
  const unsupported = (param: string, hint = ''): Refusal => ({
    status: 400,
    message: `Unsupported parameter: '${param}' is not supported with this model.${hint}`,
    param,
    code: 'unsupported_parameter',
  });
  if (isReasoningModel(request.model)) {
    if (request.max_tokens !== undefined)
      return unsupported('max_tokens', " Use 'max_completion_tokens' instead.");
    if (request.temperature !== undefined) return unsupported('temperature');
    if (request.top_p !== undefined) return unsupported('top_p');
  } else if (request.reasoning_effort !== undefined) {
    return unsupported('reasoning_effort');
  }
  if (!request.tools && (request.tool_choice !== undefined || request.parallel_tool_calls !== undefined)) {
    const param = request.tool_choice !== undefined ? 'tool_choice' : 'parallel_tool_calls';
    return {
      status: 400,
      message: `Invalid value for '${param}': only allowed when 'tools' are specified.`,
      param,
    };
  }
  if (request.stream_options && !request.stream) {
    return {
      status: 400,
      message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      param: 'stream_options',
    };
  }
  return undefined;
}

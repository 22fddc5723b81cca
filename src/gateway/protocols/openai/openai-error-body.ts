/**
 * Errors in OpenAI's shape, `{error: {message, type, param, code}}`, as the OpenAI SDKs read them:
 * the SDK picks its error class from the HTTP status and shows `message`. `type` follows OpenAI's
 * values (https://platform.openai.com/docs/guides/error-codes); `code` is ours (e.g.
 * `insufficient_credit`) so clients can branch on it. A stream that fails after its 200 carries the
 * same body as one SSE `data:` event, which the SDKs raise as an APIError. Request parsers build
 * their 400s here too, naming the parameter in OpenAI's notation (`messages[0].content`).
 */
import { z } from 'zod';
import { MixgateError } from '../../../lib/errors.js';
import type { ClientError } from '../protocol-types.js';

export const ZOpenAiErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type TOpenAiErrorBody = z.infer<typeof ZOpenAiErrorBody>;

/** A ClientError, optionally naming the request parameter at fault (MixgateError's details.param). */
export type OpenAiClientError = ClientError & { param?: string | null };

export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  // OpenAI's own type for an exhausted balance; its SDKs and client libraries check for it.
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500 && status <= 599) return 'server_error';
  if (status >= 400 && status <= 499) return 'invalid_request_error';
  return 'api_error';
}

export function toOpenAiErrorBody(error: OpenAiClientError): TOpenAiErrorBody {
  return {
    error: {
      message: error.message,
      type: openAiErrorType(error.status),
      param: error.param ?? null,
      code: error.code,
    },
  };
}

/** The error as the last event of a stream that already answered 200; no `[DONE]` follows it. */
export function toOpenAiErrorEvent(error: OpenAiClientError): string {
  return `data: ${JSON.stringify(toOpenAiErrorBody(error))}\n\n`;
}

export function invalidParam(param: string, problem: string): MixgateError {
  return new MixgateError('invalid_request', `Invalid '${param}': ${problem}.`, 400, { param });
}

/** The first problem zod found, as a 400 naming the parameter in OpenAI's notation (`messages[0].content`). */
export function invalidRequest(error: z.ZodError): MixgateError {
  const issue = mostSpecific(error.issues[0]!);
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  if (path.length === 0) {
    return new MixgateError('invalid_request', 'The request body must be a JSON object.', 400, {
      param: null,
    });
  }
  const param = path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
  return invalidParam(param, describe(issue));
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'is not a known field';
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  const message = issue.message.replace(/^Invalid input: /, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * A union's own message says only "Invalid input"; the branch that got furthest into the value is
 * the one the client meant, so its issue names the real problem (e.g. a bad part of a content array).
 */
function mostSpecific(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const branches = issue.errors.flatMap((branch) => (branch[0] ? [mostSpecific(branch[0])] : []));
  const deepest = branches.reduce<z.core.$ZodIssue | undefined>(
    (best, branch) => (!best || branch.path.length > best.path.length ? branch : best),
    undefined,
  );
  if (!deepest) return issue;
  if (deepest.path.length > 0) return { ...deepest, path: [...issue.path, ...deepest.path] };
  // Every branch refused the value itself: say what it should have been.
  const expected = branches.flatMap((branch) => (branch.code === 'invalid_type' ? [branch.expected] : []));
  const other = branches.find((branch) => branch.code !== 'invalid_type');
  const message = other ? other.message : `expected ${expected.join(' or ')}`;
  return { ...deepest, code: 'custom', message, path: issue.path } as z.core.$ZodIssue;
}

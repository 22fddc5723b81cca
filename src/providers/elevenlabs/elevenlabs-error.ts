/** ElevenLabs' error bodies read for the shared statusError (which classifies by HTTP status). */
import type { ErrorBodyReader } from '../http/upstream.js';
import { ZElevenLabsErrorBody } from './elevenlabs-api-types.js';

/**
 * `detail.status` (e.g. `quota_exceeded`, `invalid_api_key`, `too_many_concurrent_requests`) is the
 * code; for FastAPI's validation list, the first entry's type and `loc: msg` (field names only).
 */
export const readElevenLabsError: ErrorBodyReader = (body) => {
  const parsed = ZElevenLabsErrorBody.safeParse(body);
  if (!parsed.success) return {};
  const { detail } = parsed.data;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const first = detail[0];
    if (!first) return {};
    const where = first.loc?.filter((part) => part !== 'body').join('.');
    return { code: first.type, message: where ? `${where}: ${first.msg ?? 'invalid'}` : first.msg };
  }
  return { code: detail.status ?? detail.code ?? detail.type, message: detail.message };
};

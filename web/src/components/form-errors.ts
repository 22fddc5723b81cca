import { ApiError, errorMessage } from '../api/client';

/**
 * Server-side validation errors onto form fields: the server names the field in `issues` paths
 * ("/email"), in `details.field`, or as the message's prefix ("password: too short"). Returns the
 * message to show above the form when no field took it.
 */
export function fieldErrorsFrom(
  error: unknown,
  fields: readonly string[],
  setFieldError: (field: string, message: string) => void,
): string | null {
  if (!(error instanceof ApiError)) return errorMessage(error);
  let placed = false;
  for (const issue of error.issues) {
    const field = issue.path.replace(/^\//, '').split('/')[0] ?? '';
    if (fields.includes(field)) {
      setFieldError(field, issue.message);
      placed = true;
    }
  }
  const named = typeof error.details.field === 'string' ? error.details.field : null;
  if (named && fields.includes(named)) {
    setFieldError(named, error.message);
    placed = true;
  }
  const prefixed = /^(\w+): (.+)$/.exec(error.message);
  if (!placed && prefixed && fields.includes(prefixed[1]!)) {
    setFieldError(prefixed[1]!, prefixed[2]!);
    placed = true;
  }
  return placed ? null : error.message;
}

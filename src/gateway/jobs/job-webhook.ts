/**
 * The completion webhook of a job, signed as the Standard Webhooks specification says (the scheme
 * Replicate and Svix use): `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64
 * HMAC-SHA256 of "<id>.<timestamp>.<body>">` with a per-job secret `whsec_<base64>` that the client
 * received when it created the job.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { request } from 'undici';
import { MixgateError } from '../../lib/errors.js';

/** The additional data a job's sealed webhook secret is bound to (master key, src/lib/crypto.ts). */
export function webhookSecretContext(jobId: string): string {
  return `job-webhook:${jobId}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Loopback, private, link-local and unique-local addresses: a webhook must not reach our network. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const lower = address.toLowerCase();
  if (lower.startsWith('::ffff:')) return isPrivateAddress(lower.slice(7));
  return (
    lower === '::1' ||
    lower === '::' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    lower.startsWith('fe80')
  );
}

/** Refuses a webhook URL that is not http(s) or that resolves to a private address (unless allowed). */
export async function checkWebhookUrl(url: string, allowPrivate: boolean): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MixgateError('invalid_request', 'webhook: not a URL', 400, { param: 'webhook' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new MixgateError('invalid_request', 'webhook: must be an http or https URL', 400, {
      param: 'webhook',
    });
  }
  if (parsed.username || parsed.password) {
    throw new MixgateError('invalid_request', 'webhook: credentials in the URL are not allowed', 400, {
      param: 'webhook',
    });
  }
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) {
    throw new MixgateError('invalid_request', 'webhook: the host does not resolve', 400, {
      param: 'webhook',
    });
  }
  if (addresses.some(isPrivateAddress)) {
    throw new MixgateError(
      'invalid_request',
      'webhook: private and loopback addresses are not allowed',
      400,
      {
        param: 'webhook',
      },
    );
  }
}

/** Posts the payload, retrying twice; true once the receiver answered 2xx. */
export async function deliverWebhook(
  url: string,
  secret: string,
  id: string,
  payload: unknown,
  now: () => Date,
  delaysMs: readonly number[] = [0, 1_000, 5_000],
): Promise<boolean> {
  const body = JSON.stringify(payload);
  for (const delay of delaysMs) {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const timestamp = Math.floor(now().getTime() / 1000);
    try {
      const response = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Mixgate-Webhook/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, id, timestamp, body),
        },
        body,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) return true;
    } catch {
      // Unreachable receiver: try again after the next delay.
    }
  }
  return false;
}

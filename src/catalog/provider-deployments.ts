/**
 * The provider deployments configured from the environment, by each provider's conventional
 * variable names (OPENAI_API_KEY, ANTHROPIC_BASE_URL...). A hosted provider exists when its key is
 * set, a self-hosted one (Ollama, vLLM, LM Studio) when its base URL is; the built-in `local`
 * provider always exists. Where requests are processed, whether the provider keeps data and the
 * GDPR transfer safeguard come from the defaults below and can be overridden per provider with
 * <NAME>_REGION, <NAME>_ZERO_RETENTION and <NAME>_TRANSFER_SAFEGUARD.
 */
import { z } from 'zod';
import type { Deployment } from '../providers/spec.js';

interface ProviderDefinition {
  /** Deployment id and adapter id (OpenAI-compatible ones by their flavour). */
  id: string;
  /** Prefix of the provider's variables: OPENAI -> OPENAI_API_KEY, OPENAI_BASE_URL... */
  variable: string;
  /** Variables holding the key, first set wins; absent for providers found by base URL only. */
  keyVariables: string[];
  /** Hosted providers' public endpoint; self-hosted ones have none and exist only when set. */
  defaultBaseUrl?: string;
  /** A version path the deployment's baseUrl must end with, appended to an operator's URL without it. */
  versionPath?: string;
  /** Self-hosted providers may run without a key. */
  selfHosted?: boolean;
  /** Defaults an operator must check against their own contract with the provider. */
  region: string;
  zeroRetention: boolean;
  transferSafeguard: string;
}

const SELF_HOSTED = { region: 'self-hosted', zeroRetention: true, transferSafeguard: 'none (self-hosted)' };
const SCC = 'Standard Contractual Clauses';
const DPF = 'EU-US Data Privacy Framework';

export const PROVIDERS: readonly ProviderDefinition[] = [
  // OpenAI processes API data in the US and keeps it up to 30 days for abuse monitoring unless
  // zero data retention is agreed; OpenAI is certified under the Data Privacy Framework.
  {
    id: 'openai',
    variable: 'OPENAI',
    keyVariables: ['OPENAI_API_KEY'],
    defaultBaseUrl: 'https://api.openai.com/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: DPF,
  },
  // Anthropic: US processing, 30-day retention by default; its DPA relies on SCCs. The SDK
  // convention is a base URL without /v1, which our adapter needs, so it is appended.
  {
    id: 'anthropic',
    variable: 'ANTHROPIC',
    keyVariables: ['ANTHROPIC_API_KEY'],
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    versionPath: '/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Google's paid Gemini API: global processing led from the US, prompts logged for a limited
  // time for abuse monitoring; Google LLC is certified under the Data Privacy Framework.
  {
    id: 'google',
    variable: 'GEMINI',
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: DPF,
  },
  // OpenRouter forwards to many upstream providers with their own retention; US company.
  {
    id: 'openrouter',
    variable: 'OPENROUTER',
    keyVariables: ['OPENROUTER_API_KEY'],
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Together AI: US data centres, SCCs in its DPA.
  {
    id: 'together',
    variable: 'TOGETHER',
    keyVariables: ['TOGETHER_API_KEY'],
    defaultBaseUrl: 'https://api.together.xyz/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Groq: US (and some Saudi Arabian) data centres, SCCs in its DPA.
  {
    id: 'groq',
    variable: 'GROQ',
    keyVariables: ['GROQ_API_KEY'],
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Mistral AI: processed in the EU, so no third-country transfer; 30-day abuse monitoring.
  {
    id: 'mistral',
    variable: 'MISTRAL',
    keyVariables: ['MISTRAL_API_KEY'],
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    region: 'EU',
    zeroRetention: false,
    transferSafeguard: 'none needed (EU processing, no third-country transfer)',
  },
  // DeepSeek: processed in the People's Republic of China, no adequacy decision: SCCs at best.
  {
    id: 'deepseek',
    variable: 'DEEPSEEK',
    keyVariables: ['DEEPSEEK_API_KEY'],
    defaultBaseUrl: 'https://api.deepseek.com',
    region: 'CN',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // xAI: US processing, 30-day retention by default, SCCs.
  {
    id: 'xai',
    variable: 'XAI',
    keyVariables: ['XAI_API_KEY'],
    defaultBaseUrl: 'https://api.x.ai/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Replicate: US GPUs; inputs and outputs of API predictions are deleted after an hour, which
  // is still retention.
  {
    id: 'replicate',
    variable: 'REPLICATE',
    keyVariables: ['REPLICATE_API_TOKEN'],
    defaultBaseUrl: 'https://api.replicate.com/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // ElevenLabs: US processing by default (an EU residency offer exists for enterprise plans).
  {
    id: 'elevenlabs',
    variable: 'ELEVENLABS',
    keyVariables: ['ELEVENLABS_API_KEY'],
    defaultBaseUrl: 'https://api.elevenlabs.io/v1',
    versionPath: '/v1',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Stability AI: a UK company serving its API from US data centres. Paths carry their own
  // version (/v2beta/...), so the base URL is the bare origin.
  {
    id: 'stability',
    variable: 'STABILITY',
    keyVariables: ['STABILITY_API_KEY'],
    defaultBaseUrl: 'https://api.stability.ai',
    region: 'US',
    zeroRetention: false,
    transferSafeguard: SCC,
  },
  // Self-hosted servers run on the operator's own machines: no sub-processor, no transfer.
  { id: 'ollama', variable: 'OLLAMA', keyVariables: [], selfHosted: true, ...SELF_HOSTED },
  { id: 'vllm', variable: 'VLLM', keyVariables: ['VLLM_API_KEY'], selfHosted: true, ...SELF_HOSTED },
  {
    id: 'lmstudio',
    variable: 'LMSTUDIO',
    keyVariables: ['LMSTUDIO_API_KEY'],
    selfHosted: true,
    ...SELF_HOSTED,
  },
];

/** Every provider a catalog entry may name: the configurable ones and the built-in `local`. */
export const KNOWN_PROVIDERS: readonly string[] = [...PROVIDERS.map((provider) => provider.id), 'local'];

/** The built-in demo provider: runs in this process, sends nothing anywhere. */
export const LOCAL_DEPLOYMENT: Deployment = Object.freeze({
  id: 'local',
  provider: 'local',
  baseUrl: 'local:',
  region: 'local',
  zeroRetention: true,
  transferSafeguard: 'none (runs inside Mixgate)',
});

/** Adapters append paths to the base URL, so a query or fragment would end up in the middle. */
function isHttpBaseUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

const secret = z.string().min(1).max(1000);
const httpUrl = z
  .string()
  .refine(isHttpBaseUrl, { message: 'must be an http:// or https:// URL without a query or fragment' });
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

function settingsFor(provider: ProviderDefinition): Record<string, z.ZodType> {
  const name = provider.id;
  const settings: Record<string, z.ZodType> = {};
  provider.keyVariables.forEach((variable, index) => {
    const description = provider.selfHosted
      ? `API key of your ${name} server, if it requires one.`
      : index === 0
        ? `API key for ${name}; setting it enables the provider.`
        : `API key for ${name}, used when ${provider.keyVariables[0]} is unset.`;
    settings[variable] = secret.optional().describe(description);
  });
  settings[`${provider.variable}_BASE_URL`] = httpUrl
    .optional()
    .describe(
      provider.selfHosted
        ? `Base URL of your ${name} server (OpenAI-compatible, e.g. ending in /v1); setting it enables the provider.`
        : `Base URL of the ${name} API. Default: ${provider.defaultBaseUrl}.`,
    );
  settings[`${provider.variable}_REGION`] = z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe(`Where ${name} processes requests. Default: ${provider.region}.`);
  settings[`${provider.variable}_ZERO_RETENTION`] = bool
    .optional()
    .describe(
      `Whether ${name} keeps no prompts or outputs (true/false). Default: ${provider.zeroRetention}.`,
    );
  settings[`${provider.variable}_TRANSFER_SAFEGUARD`] = z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(`GDPR transfer safeguard for ${name}. Default: ${provider.transferSafeguard}.`);
  return settings;
}

/** Every variable deploymentsFromEnv reads, for the configuration schema and its README table. */
export const PROVIDER_SETTINGS: Readonly<Record<string, z.ZodType>> = Object.freeze(
  Object.assign({}, ...PROVIDERS.map(settingsFor), {
    OPENROUTER_SITE_URL: httpUrl
      .optional()
      .describe("Your site's URL, sent to OpenRouter as HTTP-Referer for its app rankings."),
    OPENROUTER_APP_NAME: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Your app name, sent to OpenRouter as X-Title.'),
  }),
);

export const ZProviderEnv = z.object(PROVIDER_SETTINGS);

export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
}

/** The configured deployments, `local` last. Empty variables count as unset. */
export function deploymentsFromEnv(env: NodeJS.ProcessEnv): Deployment[] {
  const input: Record<string, string> = {};
  for (const name of Object.keys(PROVIDER_SETTINGS)) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') input[name] = value;
  }
  const parsed = ZProviderEnv.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Never the value: it may be a key, or a URL with credentials in it.
    throw new ProviderConfigError(`Invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const settings = parsed.data as Record<string, string | boolean | undefined>;
  const text = (name: string) => settings[name] as string | undefined;

  const deployments: Deployment[] = [];
  for (const provider of PROVIDERS) {
    const apiKey = provider.keyVariables.map(text).find((value) => value !== undefined);
    const configuredUrl = text(`${provider.variable}_BASE_URL`);
    const enabled = provider.selfHosted ? configuredUrl !== undefined : apiKey !== undefined;
    if (!enabled) continue;
    const zeroRetention = settings[`${provider.variable}_ZERO_RETENTION`] as boolean | undefined;
    const deployment: Deployment = {
      id: provider.id,
      provider: provider.id,
      baseUrl: normaliseBaseUrl(configuredUrl ?? provider.defaultBaseUrl!, provider.versionPath),
      region: text(`${provider.variable}_REGION`) ?? provider.region,
      zeroRetention: zeroRetention ?? provider.zeroRetention,
      transferSafeguard: text(`${provider.variable}_TRANSFER_SAFEGUARD`) ?? provider.transferSafeguard,
    };
    if (apiKey !== undefined) deployment.apiKey = apiKey;
    if (provider.id === 'openrouter') {
      const headers = openRouterHeaders(text('OPENROUTER_SITE_URL'), text('OPENROUTER_APP_NAME'));
      if (headers) deployment.headers = headers;
    }
    deployments.push(deployment);
  }
  deployments.push({ ...LOCAL_DEPLOYMENT });
  return deployments;
}

/** Without a trailing slash, and with the version path the adapter expects. */
function normaliseBaseUrl(url: string, versionPath: string | undefined): string {
  const trimmed = url.replace(/\/+$/, '');
  if (versionPath && !trimmed.endsWith(versionPath)) return `${trimmed}${versionPath}`;
  return trimmed;
}

function openRouterHeaders(siteUrl?: string, appName?: string): Record<string, string> | undefined {
  // https://openrouter.ai/docs/api-reference/overview#headers: optional app attribution.
  const headers: Record<string, string> = {};
  if (siteUrl) headers['HTTP-Referer'] = siteUrl;
  if (appName) headers['X-Title'] = appName;
  return Object.keys(headers).length > 0 ? headers : undefined;
}

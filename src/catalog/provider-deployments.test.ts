import { describe, expect, it } from 'vitest';
import {
  deploymentsFromEnv,
  KNOWN_PROVIDERS,
  PROVIDER_SETTINGS,
  ProviderConfigError,
  ZProviderEnv,
} from './provider-deployments.js';

function byId(env: NodeJS.ProcessEnv) {
  return new Map(deploymentsFromEnv(env).map((deployment) => [deployment.id, deployment]));
}

function configError(env: NodeJS.ProcessEnv): string {
  try {
    deploymentsFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

describe('deployments from the environment', () => {
  it('has only the built-in local provider when nothing is configured', () => {
    expect(deploymentsFromEnv({})).toEqual([
      {
        id: 'local',
        provider: 'local',
        baseUrl: 'local:',
        region: 'local',
        zeroRetention: true,
        transferSafeguard: 'none (runs inside Mixgate)',
      },
    ]);
  });

  it('enables each hosted provider by its key, with its public endpoint', () => {
    const deployments = byId({
      OPENAI_API_KEY: 'sk-openai',
      ANTHROPIC_API_KEY: 'sk-ant',
      GEMINI_API_KEY: 'gem',
      OPENROUTER_API_KEY: 'or',
      TOGETHER_API_KEY: 'tg',
      GROQ_API_KEY: 'gq',
      MISTRAL_API_KEY: 'ms',
      DEEPSEEK_API_KEY: 'ds',
      XAI_API_KEY: 'xa',
      REPLICATE_API_TOKEN: 'r8',
      ELEVENLABS_API_KEY: 'el',
      STABILITY_API_KEY: 'st',
    });
    const urls = Object.fromEntries([...deployments].map(([id, deployment]) => [id, deployment.baseUrl]));
    expect(urls).toEqual({
      openai: 'https://api.openai.com/v1',
      anthropic: 'https://api.anthropic.com/v1',
      google: 'https://generativelanguage.googleapis.com/v1beta',
      openrouter: 'https://openrouter.ai/api/v1',
      together: 'https://api.together.xyz/v1',
      groq: 'https://api.groq.com/openai/v1',
      mistral: 'https://api.mistral.ai/v1',
      deepseek: 'https://api.deepseek.com',
      xai: 'https://api.x.ai/v1',
      replicate: 'https://api.replicate.com/v1',
      elevenlabs: 'https://api.elevenlabs.io/v1',
      stability: 'https://api.stability.ai',
      local: 'local:',
    });
    expect(deployments.get('openai')).toMatchObject({
      provider: 'openai',
      apiKey: 'sk-openai',
      region: 'US',
    });
    expect(deployments.get('google')).toMatchObject({ provider: 'google', apiKey: 'gem' });
    expect(deployments.get('replicate')?.apiKey).toBe('r8');
    for (const deployment of deployments.values()) expect(deployment.provider).toBe(deployment.id);
  });

  it('gives each provider its privacy defaults', () => {
    const deployments = byId({ OPENAI_API_KEY: 'k', MISTRAL_API_KEY: 'k', DEEPSEEK_API_KEY: 'k' });
    expect(deployments.get('openai')).toMatchObject({
      region: 'US',
      zeroRetention: false,
      transferSafeguard: 'EU-US Data Privacy Framework',
    });
    expect(deployments.get('mistral')).toMatchObject({ region: 'EU', zeroRetention: false });
    expect(deployments.get('mistral')?.transferSafeguard).toMatch(/no third-country transfer/);
    expect(deployments.get('deepseek')).toMatchObject({
      region: 'CN',
      transferSafeguard: 'Standard Contractual Clauses',
    });
  });

  it('appends /v1 to an Anthropic or ElevenLabs base URL given the SDK way, without doubling it', () => {
    expect(
      byId({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'https://proxy.example/anthropic/' }).get(
        'anthropic',
      )?.baseUrl,
    ).toBe('https://proxy.example/anthropic/v1');
    expect(
      byId({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9000/v1/' }).get('anthropic')
        ?.baseUrl,
    ).toBe('http://127.0.0.1:9000/v1');
    expect(
      byId({ ELEVENLABS_API_KEY: 'k', ELEVENLABS_BASE_URL: 'https://api.eu.elevenlabs.io' }).get('elevenlabs')
        ?.baseUrl,
    ).toBe('https://api.eu.elevenlabs.io/v1');
    expect(
      byId({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'https://gateway.example/openai/' }).get('openai')
        ?.baseUrl,
    ).toBe('https://gateway.example/openai');
  });

  it('reads Gemini keys from GEMINI_API_KEY first, then GOOGLE_API_KEY', () => {
    expect(byId({ GOOGLE_API_KEY: 'google' }).get('google')?.apiKey).toBe('google');
    expect(byId({ GOOGLE_API_KEY: 'google', GEMINI_API_KEY: 'gemini' }).get('google')?.apiKey).toBe('gemini');
  });

  it('enables self-hosted servers by their base URL, with a key only when one is given', () => {
    const deployments = byId({
      OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
      VLLM_BASE_URL: 'http://gpu-box:8000/v1',
      VLLM_API_KEY: 'vllm-key',
      LMSTUDIO_API_KEY: 'unused-without-url',
    });
    expect(deployments.get('ollama')).toEqual({
      id: 'ollama',
      provider: 'ollama',
      baseUrl: 'http://127.0.0.1:11434/v1',
      region: 'self-hosted',
      zeroRetention: true,
      transferSafeguard: 'none (self-hosted)',
    });
    expect(deployments.get('vllm')?.apiKey).toBe('vllm-key');
    expect(deployments.has('lmstudio')).toBe(false);
  });

  it('does not enable a hosted provider by its base URL alone', () => {
    expect(byId({ OPENAI_BASE_URL: 'https://api.openai.com/v1' }).has('openai')).toBe(false);
  });

  it('lets the operator override region, retention and safeguard per provider', () => {
    const openai = byId({
      OPENAI_API_KEY: 'k',
      OPENAI_REGION: 'EU',
      OPENAI_ZERO_RETENTION: 'true',
      OPENAI_TRANSFER_SAFEGUARD: 'EU data residency',
    }).get('openai');
    expect(openai).toMatchObject({
      region: 'EU',
      zeroRetention: true,
      transferSafeguard: 'EU data residency',
    });
    expect(
      byId({ OLLAMA_BASE_URL: 'http://ollama:11434/v1', OLLAMA_ZERO_RETENTION: '0' }).get('ollama')
        ?.zeroRetention,
    ).toBe(false);
  });

  it('adds OpenRouter attribution headers only when configured', () => {
    expect(byId({ OPENROUTER_API_KEY: 'k' }).get('openrouter')?.headers).toBeUndefined();
    expect(
      byId({
        OPENROUTER_API_KEY: 'k',
        OPENROUTER_SITE_URL: 'https://ai.example.com',
        OPENROUTER_APP_NAME: 'Example AI',
      }).get('openrouter')?.headers,
    ).toEqual({ 'HTTP-Referer': 'https://ai.example.com', 'X-Title': 'Example AI' });
  });

  it('treats empty variables as unset', () => {
    expect(byId({ OPENAI_API_KEY: '', OLLAMA_BASE_URL: '  ', OPENAI_REGION: '' }).size).toBe(1);
  });

  it('names the bad variable without repeating its value', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'ftp://user:secret@files.example' }, 'OPENAI_BASE_URL'],
      [{ OLLAMA_BASE_URL: 'localhost:11434' }, 'OLLAMA_BASE_URL'],
      [
        { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'https://a.example/?token=secret' },
        'ANTHROPIC_BASE_URL',
      ],
      [{ MISTRAL_API_KEY: 'k', MISTRAL_ZERO_RETENTION: 'secretly' }, 'MISTRAL_ZERO_RETENTION'],
    ];
    for (const [env, name] of cases) {
      const message = configError(env);
      expect(message).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
      expect(message).not.toContain('secret');
    }
  });

  it('declares in ZProviderEnv every variable it reads', () => {
    const read = new Set<string>();
    const env = new Proxy({} as NodeJS.ProcessEnv, {
      get(_target, name) {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    deploymentsFromEnv(env);
    expect(read.size).toBeGreaterThan(40);
    const declared = new Set(Object.keys(ZProviderEnv.shape));
    expect([...read].filter((name) => !declared.has(name))).toEqual([]);
    for (const [name, schema] of Object.entries(PROVIDER_SETTINGS))
      expect(schema.description, name).toBeTruthy();
  });

  it('knows every provider it can configure, and local', () => {
    expect([...KNOWN_PROVIDERS].sort()).toEqual(
      [
        'anthropic',
        'deepseek',
        'elevenlabs',
        'google',
        'groq',
        'lmstudio',
        'local',
        'mistral',
        'ollama',
        'openai',
        'openrouter',
        'replicate',
        'stability',
        'together',
        'vllm',
        'xai',
      ].sort(),
    );
  });
});

/** Ready-to-copy examples of calling this instance's OpenAI-compatible API: curl, JavaScript, Python. */
import { ActionIcon, Code, CopyButton, Group, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useI18n } from '../../i18n';
import { useExampleModel } from './api-keys-api';

export const KEY_PLACEHOLDER = 'YOUR_API_KEY';

export function apiBaseUrl(): string {
  return `${window.location.origin}/v1`;
}

function snippets(baseUrl: string, apiKey: string, model: string) {
  const curl = [
    `curl ${baseUrl}/chat/completions \\`,
    `  -H "Authorization: Bearer ${apiKey}" \\`,
    '  -H "Content-Type: application/json" \\',
    `  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello!"}]}'`,
  ].join('\n');
  const javascript = [
    "import OpenAI from 'openai';",
    '',
    'const client = new OpenAI({',
    `  baseURL: '${baseUrl}',`,
    `  apiKey: '${apiKey}',`,
    '});',
    '',
    'const completion = await client.chat.completions.create({',
    `  model: '${model}',`,
    "  messages: [{ role: 'user', content: 'Hello!' }],",
    '});',
    'console.log(completion.choices[0].message.content);',
  ].join('\n');
  const python = [
    'from openai import OpenAI',
    '',
    'client = OpenAI(',
    `    base_url="${baseUrl}",`,
    `    api_key="${apiKey}",`,
    ')',
    '',
    'completion = client.chat.completions.create(',
    `    model="${model}",`,
    '    messages=[{"role": "user", "content": "Hello!"}],',
    ')',
    'print(completion.choices[0].message.content)',
  ].join('\n');
  return [
    { value: 'curl', label: 'curl', code: curl },
    { value: 'javascript', label: 'JavaScript', code: javascript },
    { value: 'python', label: 'Python', code: python },
  ];
}

export function UsageSnippets({ apiKey = KEY_PLACEHOLDER }: { apiKey?: string }) {
  const { t, rich } = useI18n();
  const model = useExampleModel();
  const baseUrl = apiBaseUrl();
  const examples = snippets(baseUrl, apiKey, model);
  return (
    <Stack gap="xs" data-testid="usage-snippets">
      <Text size="sm" c="dimmed">
        {rich('keys.baseUrl', {
          url: (
            <Code style={{ wordBreak: 'break-all' }} data-testid="api-base-url">
              {baseUrl}
            </Code>
          ),
        })}
        {apiKey === KEY_PLACEHOLDER && ` ${t('keys.replacePlaceholder', { placeholder: KEY_PLACEHOLDER })}`}
      </Text>
      <Tabs defaultValue="curl" keepMounted={false}>
        <Tabs.List>
          {examples.map((example) => (
            <Tabs.Tab key={example.value} value={example.value}>
              {example.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {examples.map((example) => (
          <Tabs.Panel key={example.value} value={example.value} pt="xs">
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <Code
                block
                flex={1}
                miw={0}
                style={{ overflowX: 'auto', whiteSpace: 'pre' }}
                // Scrolls sideways on a phone: keyboard users reach it with Tab and scroll with the arrows.
                tabIndex={0}
                aria-label={t('keys.example', { language: example.label })}
                data-testid={`snippet-${example.value}`}
              >
                {example.code}
              </Code>
              <CopyButton value={example.code} timeout={1500}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? t('keys.copied') : t('keys.copy')} withArrow>
                    <ActionIcon
                      variant="subtle"
                      color={copied ? 'teal' : 'gray'}
                      onClick={copy}
                      aria-label={t('keys.copyExample', { language: example.label })}
                      data-testid={`snippet-copy-${example.value}`}
                    >
                      {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

/** Ready-to-copy examples of calling this instance's OpenAI-compatible API: curl, JavaScript, Python. */
import { ActionIcon, Code, CopyButton, Group, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
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
  const model = useExampleModel();
  const baseUrl = apiBaseUrl();
  const examples = snippets(baseUrl, apiKey, model);
  return (
    <Stack gap="xs" data-testid="usage-snippets">
      <Text size="sm" c="dimmed">
        Base URL{' '}
        <Code style={{ wordBreak: 'break-all' }} data-testid="api-base-url">
          {baseUrl}
        </Code>
        . Any OpenAI SDK works: set the base URL and the key.
        {apiKey === KEY_PLACEHOLDER && ` Replace ${KEY_PLACEHOLDER} with one of your keys.`}
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
                aria-label={`${example.label} example`}
                data-testid={`snippet-${example.value}`}
              >
                {example.code}
              </Code>
              <CopyButton value={example.code} timeout={1500}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                    <ActionIcon
                      variant="subtle"
                      color={copied ? 'teal' : 'gray'}
                      onClick={copy}
                      aria-label={`Copy the ${example.label} example`}
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

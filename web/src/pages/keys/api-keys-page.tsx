import { Title } from '@mantine/core';

export function ApiKeysPage() {
  return <Title order={2}>API keys</Title>;
}

import { Title } from '@mantine/core';

export function StudioPage() {
  return <Title order={2}>Studio</Title>;
}

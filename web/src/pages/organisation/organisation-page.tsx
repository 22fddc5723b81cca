import { Title } from '@mantine/core';

export function OrganisationPage() {
  return <Title order={2}>Organisation</Title>;
}

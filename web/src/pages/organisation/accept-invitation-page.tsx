import { Title } from '@mantine/core';

export function AcceptInvitationPage() {
  return <Title order={2}>Invitation</Title>;
}

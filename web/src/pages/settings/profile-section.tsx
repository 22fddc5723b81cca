import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { PublicUser } from '../../api/session';

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text component="div" size="sm" style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** What the account is; there is no route to change these, so they are shown, not edited. */
export function ProfileSection({ user }: { user: PublicUser }) {
  return (
    <Card withBorder padding="lg" data-testid="settings-profile">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Profile
          </Title>
          <Text size="sm" c="dimmed">
            The details of your account. To change your e-mail address or username, contact support.
          </Text>
        </div>
        <Fact label="E-mail" testId="profile-email">
          <Group gap="xs" wrap="wrap">
            <span>{user.email}</span>
            <Badge size="sm" variant="light" color={user.emailVerified ? 'green' : 'yellow'}>
              {user.emailVerified ? 'Confirmed' : 'Not confirmed'}
            </Badge>
          </Group>
        </Fact>
        <Fact label="Username" testId="profile-username">
          {user.username}
        </Fact>
        <Fact label="Display name" testId="profile-display-name">
          {user.displayName ?? (
            <Text span size="sm" c="dimmed">
              Not set
            </Text>
          )}
        </Fact>
        <Fact label="Member since" testId="profile-created">
          {new Date(user.createdAt).toLocaleDateString()}
        </Fact>
      </Stack>
    </Card>
  );
}

import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconMail, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import type { PublicUser } from '../../api/session';
import { useI18n } from '../../i18n';
import { ChangeEmailModal } from './change-email-modal';
import { ProfileForm } from './profile-form';

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

/** What the account is: the username and display name are edited in place, the e-mail through a link. */
export function ProfileSection({ user }: { user: PublicUser }) {
  const { t, formatDate } = useI18n();
  const [editing, setEditing] = useState(false);
  const [changingEmail, setChangingEmail] = useState(false);
  const [emailPending, setEmailPending] = useState<string | null>(null);

  return (
    <Card withBorder padding="lg" data-testid="settings-profile">
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={2} size="h4">
              {t('settings.profile')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('settings.profileIntro')}
            </Text>
          </div>
          {!editing && (
            <Button
              variant="light"
              size="xs"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
              data-testid="profile-edit"
            >
              {t('settings.edit')}
            </Button>
          )}
        </Group>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
          <Fact label={t('settings.email')} testId="profile-email">
            <Group gap="xs" wrap="wrap">
              <span>{user.email}</span>
              <Badge size="sm" variant="light" color={user.emailVerified ? 'green' : 'yellow'}>
                {user.emailVerified ? t('settings.confirmed') : t('settings.notConfirmed')}
              </Badge>
            </Group>
          </Fact>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconMail size={14} />}
            onClick={() => setChangingEmail(true)}
            data-testid="profile-email-change"
          >
            {t('settings.changeEmail')}
          </Button>
        </Group>
        {emailPending && (
          <Alert
            color="blue"
            withCloseButton
            onClose={() => setEmailPending(null)}
            data-testid="profile-email-pending"
          >
            {emailPending}
          </Alert>
        )}
        {editing ? (
          <ProfileForm user={user} onDone={() => setEditing(false)} />
        ) : (
          <>
            <Fact label={t('settings.username')} testId="profile-username">
              {user.username}
            </Fact>
            <Fact label={t('settings.displayName')} testId="profile-display-name">
              {user.displayName ?? (
                <Text span size="sm" c="dimmed">
                  {t('settings.notSet')}
                </Text>
              )}
            </Fact>
          </>
        )}
        <Fact label={t('settings.memberSince')} testId="profile-created">
          {formatDate(user.createdAt)}
        </Fact>
      </Stack>
      <ChangeEmailModal
        opened={changingEmail}
        onClose={() => setChangingEmail(false)}
        currentEmail={user.email}
        onSent={setEmailPending}
      />
    </Card>
  );
}

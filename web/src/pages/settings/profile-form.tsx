import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PublicUser } from '../../api/session';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { type ProfileChanges, saveProfile } from './settings-api';

// The server's rules (src/accounts/account-schemas.ts), checked here first for an instant answer.
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/;
const DISPLAY_NAME_MAX = 100;

/** The username and display name, edited in place; saves only what changed. */
export function ProfileForm({ user, onDone }: { user: PublicUser; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { username: user.username, displayName: user.displayName ?? '' },
    validate: {
      username: (value) => (USERNAME.test(value.trim()) ? null : t('settings.usernameRule')),
      displayName: (value) =>
        value.trim().length <= DISPLAY_NAME_MAX
          ? null
          : t('settings.displayNameTooLong', { max: DISPLAY_NAME_MAX }),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    const changes: ProfileChanges = {};
    const username = values.username.trim();
    const displayName = values.displayName.trim();
    if (username !== user.username) changes.username = username;
    if (displayName !== (user.displayName ?? '')) changes.displayName = displayName || null;
    if (Object.keys(changes).length === 0) {
      onDone();
      return;
    }
    try {
      await saveProfile(client, changes);
      notifications.show({
        color: 'green',
        title: t('settings.profileSaved'),
        message: t('settings.changesSaved'),
      });
      onDone();
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['username', 'displayName'], form.setFieldError));
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="profile-form">
      <Stack>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          label={t('settings.username')}
          description={t('settings.usernameHint')}
          autoComplete="username"
          required
          data-autofocus
          data-testid="profile-username-input"
          {...form.getInputProps('username')}
        />
        <TextInput
          label={t('settings.displayName')}
          description={t('settings.displayNameHint')}
          autoComplete="name"
          maxLength={DISPLAY_NAME_MAX}
          data-testid="profile-display-name-input"
          {...form.getInputProps('displayName')}
        />
        <Group gap="xs">
          <Button type="submit" loading={form.submitting} data-testid="profile-save">
            {t('settings.save')}
          </Button>
          <Button variant="default" onClick={onDone} disabled={form.submitting} data-testid="profile-cancel">
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

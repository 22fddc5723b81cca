import { Alert, Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { useSession } from '../../api/session';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { SESSIONS_KEY } from './settings-api';

export function PasswordSection() {
  const t = useT();
  const client = useQueryClient();
  const session = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', repeatPassword: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('settings.enterCurrentPassword')),
      newPassword: (value) => (value.length >= 10 ? null : t('settings.passwordTooShort')),
      repeatPassword: (value, values) =>
        value === values.newPassword ? null : t('settings.passwordsDiffer'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await api('/api/account/password', {
        json: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
      form.reset();
      await client.invalidateQueries({ queryKey: SESSIONS_KEY });
      notifications.show({
        color: 'green',
        title: t('settings.passwordChanged'),
        message: t('settings.otherDevicesSignedOut'),
      });
    } catch (error) {
      const message = fieldErrorsFrom(error, ['currentPassword', 'newPassword'], form.setFieldError);
      // A wrong current password comes back as forbidden, without a field name.
      if (message && error instanceof ApiError && error.code === 'forbidden')
        form.setFieldError('currentPassword', message);
      else setProblem(message);
    }
  });

  return (
    <Card withBorder padding="lg">
      <form onSubmit={submit} noValidate data-testid="password-form">
        {/* Password managers file the new password under this account. */}
        <input
          type="hidden"
          name="username"
          autoComplete="username"
          value={session.data?.user.email ?? ''}
          readOnly
        />
        <Stack>
          <div>
            <Title order={2} size="h4">
              {t('settings.password')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('settings.passwordIntro')}
            </Text>
          </div>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <PasswordInput
            label={t('settings.currentPassword')}
            autoComplete="current-password"
            required
            data-testid="password-current"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('settings.newPassword')}
            description={t('settings.newPasswordHint')}
            autoComplete="new-password"
            required
            data-testid="password-new"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('settings.repeatNewPassword')}
            autoComplete="new-password"
            required
            data-testid="password-repeat"
            {...form.getInputProps('repeatPassword')}
          />
          <Button
            type="submit"
            loading={form.submitting}
            data-testid="password-submit"
            style={{ alignSelf: 'flex-start' }}
          >
            {t('settings.changePassword')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

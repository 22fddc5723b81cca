import { Alert, Anchor, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useI18n } from '../../i18n';
import { CopyField } from './copy-field';
import type { RecoveryCodesReply, TwoFactorSetup } from './settings-api';

interface Props {
  setup: TwoFactorSetup;
  onEnabled: (reply: RecoveryCodesReply) => void;
  onCancel: () => void;
}

/** Step two of three: the app learns the secret, and a code from it proves it did. */
export function TwoFactorSetupForm({ setup, onEnabled, onCancel }: Props) {
  const { t, rich } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: {
      code: (value) => (/^\d{6}$/.test(value.trim()) ? null : t('settings.enterSixDigits')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      onEnabled(
        await api<RecoveryCodesReply>('/api/account/2fa/enable', { json: { code: values.code.trim() } }),
      );
    } catch (error) {
      const message = fieldErrorsFrom(error, ['code'], form.setFieldError);
      // A refused code belongs under the field; anything else (a setup restarted elsewhere) above it.
      if (message && error instanceof ApiError && error.code === 'invalid_request')
        form.setFieldError('code', message);
      else setProblem(message);
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="two-factor-setup">
      <Stack>
        <List type="ordered" size="sm" spacing="xs">
          <List.Item>
            {rich('settings.setupStepOne', {
              link: (
                <Anchor href={setup.otpauthUrl} size="sm">
                  {t('settings.openInApp')}
                </Anchor>
              ),
            })}
          </List.Item>
          <List.Item>{t('settings.setupStepTwo')}</List.Item>
        </List>
        <CopyField
          label={t('settings.setupLink')}
          copyLabel={t('settings.copySetupLink')}
          value={setup.otpauthUrl}
          testId="two-factor-uri"
        />
        <CopyField
          label={t('settings.secretKey')}
          copyLabel={t('settings.copySecretKey')}
          value={setup.secret}
          testId="two-factor-secret"
        />
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          label={t('settings.codeFromApp')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          maw={220}
          required
          data-testid="two-factor-code"
          {...form.getInputProps('code')}
        />
        <Text size="xs" c="dimmed">
          {t('settings.codesChange')}
        </Text>
        <Group gap="xs">
          <Button type="submit" loading={form.submitting} data-testid="two-factor-enable">
            {t('settings.turnOn')}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={form.submitting}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

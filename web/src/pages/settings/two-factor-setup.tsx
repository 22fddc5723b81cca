import { Alert, Anchor, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { CopyField } from './copy-field';
import type { RecoveryCodesReply, TwoFactorSetup } from './settings-api';

interface Props {
  setup: TwoFactorSetup;
  onEnabled: (reply: RecoveryCodesReply) => void;
  onCancel: () => void;
}

/** Step two of three: the app learns the secret, and a code from it proves it did. */
export function TwoFactorSetupForm({ setup, onEnabled, onCancel }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: {
      code: (value) => (/^\d{6}$/.test(value.trim()) ? null : 'Enter the 6-digit code from the app'),
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
            Open an authenticator app (for example Aegis, Google Authenticator or 1Password) and add an
            account. On this device you can{' '}
            <Anchor href={setup.otpauthUrl} size="sm">
              open the link in your app
            </Anchor>
            ; elsewhere, paste the link or type the secret key below.
          </List.Item>
          <List.Item>Enter the 6-digit code the app shows.</List.Item>
        </List>
        <CopyField label="Setup link (otpauth URI)" value={setup.otpauthUrl} testId="two-factor-uri" />
        <CopyField label="Secret key" value={setup.secret} testId="two-factor-secret" />
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          label="Code from the app"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          maw={220}
          required
          data-testid="two-factor-code"
          {...form.getInputProps('code')}
        />
        <Text size="xs" c="dimmed">
          Codes change every 30 seconds; if one is refused, wait for the next.
        </Text>
        <Group gap="xs">
          <Button type="submit" loading={form.submitting} data-testid="two-factor-enable">
            Turn on
          </Button>
          <Button variant="default" onClick={onCancel} disabled={form.submitting}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

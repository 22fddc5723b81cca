import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';

export interface CredentialsValues {
  password: string;
  code: string;
}

interface Props {
  opened: boolean;
  onClose: () => void;
  title: string;
  explanation: string;
  /** Also asks for an authenticator or recovery code. */
  withCode: boolean;
  confirmLabel: string;
  color?: string;
  testId: string;
  onSubmit: (values: CredentialsValues) => Promise<void>;
}

/** Sensitive two-factor changes ask again for what only the account holder knows. */
export function CredentialsModal({
  opened,
  onClose,
  title,
  explanation,
  withCode,
  confirmLabel,
  color,
  testId,
  onSubmit,
}: Props) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<CredentialsValues>({
    initialValues: { password: '', code: '' },
    validate: {
      password: (value) => (value ? null : t('settings.enterPassword')),
      code: (value) => (!withCode || value.trim() ? null : t('settings.enterCode')),
    },
  });
  const close = () => {
    if (form.submitting) return;
    form.reset();
    setProblem(null);
    onClose();
  };
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await onSubmit({ password: values.password, code: values.code.trim() });
      form.reset();
      onClose();
    } catch (error) {
      const message = fieldErrorsFrom(error, ['password', 'code'], form.setFieldError);
      // The server refuses a wrong password as forbidden and a wrong code as invalid_request.
      const field = !(error instanceof ApiError)
        ? null
        : error.code === 'forbidden'
          ? 'password'
          : withCode && error.code === 'invalid_request'
            ? 'code'
            : null;
      if (message && field) form.setFieldError(field, message);
      else setProblem(message);
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={title} centered data-testid={testId}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{explanation}</Text>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <PasswordInput
            label={t('settings.password')}
            autoComplete="current-password"
            required
            data-autofocus
            data-testid={`${testId}-password`}
            {...form.getInputProps('password')}
          />
          {withCode && (
            <TextInput
              label={t('settings.authenticationCode')}
              description={t('settings.authenticationCodeHint')}
              autoComplete="one-time-code"
              required
              data-testid={`${testId}-code`}
              {...form.getInputProps('code')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={color} loading={form.submitting} data-testid={`${testId}-confirm`}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

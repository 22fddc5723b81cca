import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { requestEmailChange } from './settings-api';

interface Props {
  opened: boolean;
  onClose: () => void;
  currentEmail: string;
  /** The link went out: the section keeps saying so after the modal closes. */
  onSent: (message: string) => void;
}

/**
 * Asks for the new address and the current password (a session alone must not move the account),
 * then says where the link went: nothing changes until it is opened.
 */
export function ChangeEmailModal({ opened, onClose, currentEmail, onSent }: Props) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const form = useForm({
    initialValues: { newEmail: '', password: '' },
    validate: {
      newEmail: (value) => {
        if (!/^\S+@\S+\.\S+$/.test(value.trim())) return t('settings.enterNewEmail');
        return value.trim().toLowerCase() === currentEmail ? t('settings.alreadyYourEmail') : null;
      },
      password: (value) => (value ? null : t('settings.enterCurrentPassword')),
    },
  });

  const close = () => {
    if (form.submitting) return;
    form.reset();
    setProblem(null);
    setSent(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const newEmail = values.newEmail.trim();
      await requestEmailChange({ newEmail, password: values.password });
      // Said here rather than from the server's reply, which is in English.
      const message = t('settings.linkSent', { email: newEmail });
      setSent(message);
      onSent(message);
    } catch (error) {
      const message = fieldErrorsFrom(error, ['newEmail', 'password'], form.setFieldError);
      // A wrong password is refused as forbidden; put it under the password whatever the details say.
      if (message && error instanceof ApiError && error.code === 'forbidden')
        form.setFieldError('password', message);
      else setProblem(message);
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('settings.changeEmailTitle')}
      centered
      data-testid="change-email-modal"
    >
      {sent ? (
        <Stack>
          <Alert color="green" role="status" title={t('settings.checkInbox')} data-testid="change-email-sent">
            {sent}
          </Alert>
          <Text size="sm">{t('settings.untilThen', { email: currentEmail })}</Text>
          <Group justify="flex-end">
            <Button onClick={close} data-testid="change-email-done">
              {t('settings.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('settings.changeEmailIntro')}</Text>
            {problem && (
              <Alert color="red" role="alert">
                {problem}
              </Alert>
            )}
            <TextInput
              label={t('settings.newEmail')}
              type="email"
              autoComplete="email"
              required
              data-autofocus
              data-testid="change-email-new"
              {...form.getInputProps('newEmail')}
            />
            <PasswordInput
              label={t('settings.currentPassword')}
              autoComplete="current-password"
              required
              data-testid="change-email-password"
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={form.submitting}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting} data-testid="change-email-submit">
                {t('settings.sendLink')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

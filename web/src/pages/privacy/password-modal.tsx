/**
 * The dialog that sends a request the account password must verify (a stolen session alone cannot
 * take a copy of the data or erase it). For an erasure it also asks for a typed confirmation.
 */
import { Alert, Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { type ReactNode, useState } from 'react';
import { useT } from '../../i18n';
import { refusalOf } from './request-labels';

export interface PasswordModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Sends the request; the modal closes when it resolves and shows why when it throws. */
  onSubmit: (password: string) => Promise<void>;
  color?: string;
  /** When set, this text must be typed before the button works (the account's e-mail address). */
  typedConfirmation?: string;
  testId: string;
}

export function PasswordModal({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  onSubmit,
  color,
  typedConfirmation,
  testId,
}: PasswordModalProps) {
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '', typed: '' },
    validate: {
      password: (value) => (value ? null : t('privacy.enterPassword')),
      typed: (value) =>
        typedConfirmation === undefined || matches(value, typedConfirmation)
          ? null
          : t('privacy.typedMismatch', { text: typedConfirmation }),
    },
  });

  const close = () => {
    if (form.submitting) return;
    form.reset();
    setProblem(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ password }) => {
    setProblem(null);
    try {
      await onSubmit(password);
      form.reset();
      onClose();
    } catch (error) {
      const refusal = refusalOf(error, t);
      if (refusal.onPassword) form.setFieldError('password', refusal.message);
      else setProblem(refusal.message);
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={title} centered data-testid={testId}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {children}
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          {typedConfirmation !== undefined && (
            <TextInput
              label={t('privacy.typeToConfirm', { text: typedConfirmation })}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              data-testid={`${testId}-typed`}
              styles={{ label: { overflowWrap: 'anywhere' } }}
              {...form.getInputProps('typed')}
            />
          )}
          <PasswordInput
            label={t('privacy.password')}
            description={t('privacy.passwordHint')}
            autoComplete="current-password"
            required
            data-autofocus={typedConfirmation === undefined || undefined}
            data-testid={`${testId}-password`}
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              color={color}
              loading={form.submitting}
              disabled={typedConfirmation !== undefined && !matches(form.values.typed, typedConfirmation)}
              data-testid={`${testId}-confirm`}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Forgiving about case and surrounding spaces: the point is a deliberate act, not exact typing. */
function matches(typed: string, expected: string): boolean {
  return typed.trim().toLowerCase() === expected.trim().toLowerCase();
}

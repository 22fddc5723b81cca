import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';

/** Without a token: ask for the reset mail. With the mail's token: choose the new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  return token ? <ChooseNewPassword token={token} /> : <RequestReset />;
}

function RequestReset() {
  const t = useT();
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t('auth.enterEmail')) },
  });
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await api('/api/auth/password-reset', { json: values });
      setSent(true);
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['email'], form.setFieldError));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.resetTitle')}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {sent ? (
          <Text>{t('auth.resetSent')}</Text>
        ) : (
          <>
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="email"
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={form.submitting}>
              {t('auth.sendResetLink')}
            </Button>
          </>
        )}
        <Anchor component={Link} to="/login" size="sm">
          {t('auth.backToLogIn')}
        </Anchor>
      </Stack>
    </form>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const t = useT();
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (value) => (value.length >= 10 ? null : t('auth.passwordTooShort')),
      confirm: (value, values) => (value === values.password ? null : t('auth.passwordsDiffer')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await api('/api/auth/password-reset/confirm', { json: { token, password: values.password } });
      setDone(true);
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['password'], form.setFieldError));
    }
  });
  if (done) {
    return (
      <Stack>
        <Title order={2} size="h3">
          {t('auth.passwordChanged')}
        </Title>
        <Text>{t('auth.otherSessionsSignedOut')}</Text>
        <Button component={Link} to="/login">
          {t('auth.logIn')}
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.chooseNewPassword')}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <PasswordInput
          label={t('auth.newPassword')}
          autoComplete="new-password"
          {...form.getInputProps('password')}
        />
        <PasswordInput
          label={t('auth.repeatPassword')}
          autoComplete="new-password"
          {...form.getInputProps('confirm')}
        />
        <Button type="submit" loading={form.submitting}>
          {t('auth.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}

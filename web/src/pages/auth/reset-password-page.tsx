import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';

/** Without a token: ask for the reset mail. With the mail's token: choose the new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  return token ? <ChooseNewPassword token={token} /> : <RequestReset />;
}

function RequestReset() {
  const [sent, setSent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : 'Enter your e-mail address') },
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
          Reset your password
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {sent ? (
          <Text>
            If an account uses that address, a reset link is on its way. It works for a limited time.
          </Text>
        ) : (
          <>
            <TextInput label="E-mail" type="email" autoComplete="email" {...form.getInputProps('email')} />
            <Button type="submit" loading={form.submitting}>
              Send reset link
            </Button>
          </>
        )}
        <Anchor component={Link} to="/login" size="sm">
          Back to log-in
        </Anchor>
      </Stack>
    </form>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (value) => (value.length >= 10 ? null : 'Use at least 10 characters'),
      confirm: (value, values) => (value === values.password ? null : 'The two passwords differ'),
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
          Password changed
        </Title>
        <Text>Your other sessions were signed out.</Text>
        <Button component={Link} to="/login">
          Log in
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          Choose a new password
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <PasswordInput label="New password" autoComplete="new-password" {...form.getInputProps('password')} />
        <PasswordInput label="Repeat it" autoComplete="new-password" {...form.getInputProps('confirm')} />
        <Button type="submit" loading={form.submitting}>
          Change password
        </Button>
      </Stack>
    </form>
  );
}

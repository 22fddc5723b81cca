import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client';
import { type SessionReply, useSession, useSessionUpdater } from '../../api/session';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';

/** Only paths of this app: a `next` pointing elsewhere would be an open redirect. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/chat';
}

export function LogInPage() {
  const session = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { signedIn } = useSessionUpdater();
  const t = useT();
  const [needsCode, setNeedsCode] = useState(false);
  const [problem, setProblem] = useState<{ message: string; unverified?: boolean } | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '', totpCode: '' },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t('auth.enterEmail')),
      password: (value) => (value ? null : t('auth.enterPassword')),
      totpCode: (value) => (!needsCode || /^\d{6}$/.test(value) ? null : t('auth.codeDigits')),
    },
  });
  const next = safeNext(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const reply = await api<SessionReply>('/api/auth/login', {
        json: {
          email: values.email,
          password: values.password,
          ...(needsCode && { totpCode: values.totpCode }),
        },
      });
      signedIn(reply);
      navigate(next, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'two_factor_required') {
        setNeedsCode(true);
        return;
      }
      const message = fieldErrorsFrom(error, ['email', 'password', 'totpCode'], form.setFieldError);
      if (message)
        setProblem({ message, unverified: error instanceof ApiError && error.code === 'email_not_verified' });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.logIn')}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem.message}
            {problem.unverified && (
              <Text size="sm" mt={4}>
                <Anchor component={Link} to={`/verify-email?email=${encodeURIComponent(form.values.email)}`}>
                  {t('auth.resendConfirmation')}
                </Anchor>
              </Text>
            )}
          </Alert>
        )}
        <TextInput
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label={t('auth.password')}
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        {needsCode && (
          <TextInput
            label={t('auth.authenticationCode')}
            description={t('auth.authenticationCodeHint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            {...form.getInputProps('totpCode')}
          />
        )}
        <Button type="submit" loading={form.submitting}>
          {t('auth.logIn')}
        </Button>
        <Text size="sm" ta="center">
          <Anchor component={Link} to="/reset-password">
            {t('auth.forgotPassword')}
          </Anchor>
          {' · '}
          <Anchor component={Link} to="/signup">
            {t('auth.createAnAccount')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

import { Alert, Anchor, Button, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../api/client';
import { useT } from '../../i18n';

/** The link from the confirmation mail (?token=…) confirms at once; without one, resends the mail. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const t = useT();
  const [state, setState] = useState<'working' | 'verified' | 'failed'>('working');
  const [problem, setProblem] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  const started = useRef(false);
  const form = useForm({
    initialValues: { email: params.get('email') ?? '' },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t('auth.enterEmail')) },
  });

  useEffect(() => {
    // Once: React's development double effects must not spend the single-use token twice.
    if (!token || started.current) return;
    started.current = true;
    api('/api/auth/verify-email', { json: { token } })
      .then(() => setState('verified'))
      .catch((error) => {
        setProblem(errorMessage(error));
        setState('failed');
      });
  }, [token]);

  if (token && state === 'working') {
    return (
      <Stack align="center">
        <Loader size="sm" />
        <Text>{t('auth.confirming')}</Text>
      </Stack>
    );
  }
  if (token && state === 'verified') {
    return (
      <Stack>
        <Title order={2} size="h3">
          {t('auth.emailConfirmed')}
        </Title>
        <Text>{t('auth.accountActive')}</Text>
        <Button component={Link} to="/login">
          {t('auth.logIn')}
        </Button>
      </Stack>
    );
  }

  const resend = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await api('/api/auth/verify-email/resend', { json: { email: values.email } });
      setResent(true);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  });

  return (
    <form onSubmit={resend} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.confirmEmailTitle')}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        {resent ? (
          <Text>{t('auth.resent')}</Text>
        ) : (
          <>
            <Text size="sm">{t('auth.resendIntro')}</Text>
            <TextInput
              label={t('auth.email')}
              type="email"
              autoComplete="email"
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={form.submitting}>
              {t('auth.sendLinkAgain')}
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

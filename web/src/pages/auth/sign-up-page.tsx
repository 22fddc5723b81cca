import { Alert, Anchor, Button, Checkbox, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';

interface LegalSummary {
  version: string;
  title: string;
  url: string;
}

type CurrentLegal = Record<'terms' | 'privacy', LegalSummary>;

export function SignUpPage() {
  const legal = useQuery({
    queryKey: ['legal', 'current'],
    queryFn: () => api<CurrentLegal>('/api/legal/current'),
  });
  const { t, rich, language } = useI18n();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      email: '',
      username: '',
      displayName: '',
      password: '',
      ageConfirmed: false,
      acceptedLegal: false,
    },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : t('auth.enterValidEmail')),
      username: (value) => (/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/.test(value) ? null : t('auth.usernameRule')),
      password: (value) => (value.length >= 10 ? null : t('auth.passwordTooShort')),
      ageConfirmed: (value) => (value ? null : t('auth.mustBeAdult')),
      acceptedLegal: (value) => (value ? null : t('auth.mustAcceptLegal')),
    },
  });

  if (legal.isPending) return <Loading />;
  if (legal.isError) return <ErrorState error={legal.error} onRetry={() => legal.refetch()} />;

  if (sentTo) {
    return (
      <Stack>
        <Title order={2} size="h3">
          {t('auth.checkEmail')}
        </Title>
        <Text>{rich('auth.confirmationSent', { email: <b>{sentTo}</b> })}</Text>
        <Anchor component={Link} to="/login">
          {t('auth.goToLogIn')}
        </Anchor>
      </Stack>
    );
  }

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await api('/api/auth/signup', {
        json: {
          email: values.email,
          username: values.username,
          password: values.password,
          ...(values.displayName.trim() && { displayName: values.displayName.trim() }),
          ageConfirmed: values.ageConfirmed,
          // The account keeps the language the visitor signed up in (else it would start in English).
          language,
          acceptedDocuments: { terms: legal.data.terms.version, privacy: legal.data.privacy.version },
        },
      });
      setSentTo(values.email);
    } catch (error) {
      setProblem(
        fieldErrorsFrom(error, ['email', 'username', 'password', 'displayName'], form.setFieldError),
      );
      // A document changed while the form was open: fetch the new versions to accept.
      void legal.refetch();
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          {t('auth.signUpTitle')}
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <TextInput
          label={t('auth.username')}
          autoComplete="username"
          required
          {...form.getInputProps('username')}
        />
        <TextInput
          label={t('auth.displayName')}
          description={t('common.optional')}
          autoComplete="name"
          {...form.getInputProps('displayName')}
        />
        <PasswordInput
          label={t('auth.password')}
          description={t('auth.passwordHint')}
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        <Checkbox
          label={t('legal.ageConfirm')}
          {...form.getInputProps('ageConfirmed', { type: 'checkbox' })}
        />
        <Checkbox
          label={rich('legal.signUpAccept', {
            terms: (
              <Anchor href={legal.data.terms.url} target="_blank" rel="noopener">
                {t('legal.terms')}
              </Anchor>
            ),
            termsVersion: legal.data.terms.version,
            privacy: (
              <Anchor href={legal.data.privacy.url} target="_blank" rel="noopener">
                {t('legal.privacy')}
              </Anchor>
            ),
            privacyVersion: legal.data.privacy.version,
          })}
          {...form.getInputProps('acceptedLegal', { type: 'checkbox' })}
        />
        <Button type="submit" loading={form.submitting}>
          {t('auth.createAccount')}
        </Button>
        <Text size="sm" ta="center">
          {t('auth.haveAccount')}{' '}
          <Anchor component={Link} to="/login">
            {t('auth.logIn')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

import { Alert, Anchor, Button, Checkbox, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ErrorState, Loading } from '../../components/states';

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
      email: (value) => (/^\S+@\S+\.\S+$/.test(value) ? null : 'Enter a valid e-mail address'),
      username: (value) =>
        /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/.test(value)
          ? null
          : '3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit',
      password: (value) => (value.length >= 10 ? null : 'Use at least 10 characters'),
      ageConfirmed: (value) => (value ? null : 'You must be 18 or older to use Mixgate'),
      acceptedLegal: (value) =>
        value ? null : 'Accept the Terms of Service and the Privacy Policy to continue',
    },
  });

  if (legal.isPending) return <Loading />;
  if (legal.isError) return <ErrorState error={legal.error} onRetry={() => legal.refetch()} />;

  if (sentTo) {
    return (
      <Stack>
        <Title order={2} size="h3">
          Check your e-mail
        </Title>
        <Text>
          We sent a confirmation link to <b>{sentTo}</b>. Follow it to activate your account, then log in.
        </Text>
        <Anchor component={Link} to="/login">
          Go to log-in
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
          Create your account
        </Title>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TextInput
          label="E-mail"
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <TextInput label="Username" autoComplete="username" required {...form.getInputProps('username')} />
        <TextInput
          label="Display name"
          description="Optional"
          autoComplete="name"
          {...form.getInputProps('displayName')}
        />
        <PasswordInput
          label="Password"
          description="At least 10 characters; a long phrase is best"
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        <Checkbox
          label="I am 18 years of age or older"
          {...form.getInputProps('ageConfirmed', { type: 'checkbox' })}
        />
        <Checkbox
          label={
            <>
              I accept the{' '}
              <Anchor href={legal.data.terms.url} target="_blank" rel="noopener">
                Terms of Service
              </Anchor>{' '}
              (version {legal.data.terms.version}) and have read the{' '}
              <Anchor href={legal.data.privacy.url} target="_blank" rel="noopener">
                Privacy Policy
              </Anchor>{' '}
              (version {legal.data.privacy.version})
            </>
          }
          {...form.getInputProps('acceptedLegal', { type: 'checkbox' })}
        />
        <Button type="submit" loading={form.submitting}>
          Create account
        </Button>
        <Text size="sm" ta="center">
          Already have an account?{' '}
          <Anchor component={Link} to="/login">
            Log in
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

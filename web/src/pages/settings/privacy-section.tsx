import { Alert, Button, Card, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { LANGUAGES, type Language, PREFERENCES_KEY, type Preferences, usePreferences } from './settings-api';

function PreferencesForm({ preferences }: { preferences: Preferences }) {
  const client = useQueryClient();
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Preferences>({ initialValues: preferences });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const saved = await api<Preferences>('/api/account/preferences', { method: 'PUT', json: values });
      client.setQueryData(PREFERENCES_KEY, saved);
      form.setInitialValues(saved);
      form.setValues(saved);
      form.resetDirty(saved);
      notifications.show({
        color: 'green',
        title: t('settings.preferencesSaved'),
        message: t('settings.choicesApply'),
      });
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['historyEnabled', 'language'], form.setFieldError));
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="preferences-form">
      <Stack>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Switch
          label={t('settings.keepHistory')}
          description={t('settings.keepHistoryHint')}
          data-testid="preferences-history"
          {...form.getInputProps('historyEnabled', { type: 'checkbox' })}
        />
        <Select
          label={t('settings.language')}
          description={t('settings.languageHint')}
          data={LANGUAGES.map((language) => ({ ...language }))}
          allowDeselect={false}
          maw={280}
          data-testid="preferences-language"
          value={form.values.language}
          onChange={(value) => value && form.setFieldValue('language', value as Language)}
          error={form.errors.language}
        />
        <Button
          type="submit"
          loading={form.submitting}
          disabled={!form.isDirty()}
          style={{ alignSelf: 'flex-start' }}
          data-testid="preferences-save"
        >
          {t('settings.savePreferences')}
        </Button>
      </Stack>
    </form>
  );
}

export function PrivacySection() {
  const t = useT();
  const preferences = usePreferences();
  return (
    <Card withBorder padding="lg" data-testid="settings-privacy">
      <Stack>
        <div>
          <Title order={2} size="h4">
            {t('settings.privacyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.privacyIntro')}
          </Text>
        </div>
        {preferences.isPending && <Loading />}
        {preferences.isError && (
          <ErrorState error={preferences.error} onRetry={() => preferences.refetch()} />
        )}
        {preferences.data && <PreferencesForm preferences={preferences.data} />}
      </Stack>
    </Card>
  );
}

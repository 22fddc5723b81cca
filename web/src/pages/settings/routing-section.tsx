import { Alert, Button, Card, Stack, Switch, TagsInput, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { ROUTING_KEY, type RoutingPolicy, useRoutingPolicy, useServedProviders } from './settings-api';

const REGION_SUGGESTIONS = ['EU', 'US'];

interface Values {
  allowedProviders: string[];
  zeroRetentionOnly: boolean;
  regions: string[];
}

function valuesOf(policy: RoutingPolicy): Values {
  return {
    allowedProviders: policy.allowedProviders ?? [],
    zeroRetentionOnly: policy.zeroRetentionOnly,
    regions: policy.regions ?? [],
  };
}

function RoutingForm({ policy }: { policy: RoutingPolicy }) {
  const t = useT();
  const client = useQueryClient();
  const providers = useServedProviders();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({ initialValues: valuesOf(policy) });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const saved = await api<RoutingPolicy>('/api/account/routing', {
        method: 'PUT',
        json: {
          allowedProviders: values.allowedProviders.length > 0 ? values.allowedProviders : null,
          zeroRetentionOnly: values.zeroRetentionOnly,
          regions: values.regions.length > 0 ? values.regions : null,
        },
      });
      client.setQueryData(ROUTING_KEY, saved);
      form.setInitialValues(valuesOf(saved));
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifications.show({
        color: 'green',
        title: t('settings.routingSaved'),
        message: t('settings.nextRequest'),
      });
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['allowedProviders', 'regions'], form.setFieldError));
    }
  });

  const suggestions = [...new Set([...(providers.data ?? []), ...form.values.allowedProviders])];

  return (
    <form onSubmit={submit} noValidate data-testid="routing-form">
      <Stack>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <TagsInput
          label={t('settings.allowedProviders')}
          description={t('settings.allowedProvidersHint')}
          placeholder={form.values.allowedProviders.length ? undefined : t('settings.anyProvider')}
          data={suggestions}
          clearable
          data-testid="routing-providers"
          {...form.getInputProps('allowedProviders')}
        />
        <Switch
          label={t('settings.zeroRetention')}
          description={t('settings.zeroRetentionHint')}
          data-testid="routing-zero-retention"
          {...form.getInputProps('zeroRetentionOnly', { type: 'checkbox' })}
        />
        <TagsInput
          label={t('settings.regions')}
          description={t('settings.regionsHint')}
          placeholder={form.values.regions.length ? undefined : t('settings.anyRegion')}
          data={REGION_SUGGESTIONS}
          clearable
          data-testid="routing-regions"
          {...form.getInputProps('regions')}
        />
        <Button
          type="submit"
          loading={form.submitting}
          disabled={!form.isDirty()}
          style={{ alignSelf: 'flex-start' }}
          data-testid="routing-save"
        >
          {t('settings.saveRouting')}
        </Button>
      </Stack>
    </form>
  );
}

/** Standing limits on where requests go; a request no allowed provider can serve is refused, never rerouted. */
export function RoutingSection() {
  const t = useT();
  const policy = useRoutingPolicy();
  return (
    <Card withBorder padding="lg" data-testid="settings-routing">
      <Stack>
        <div>
          <Title order={2} size="h4">
            {t('settings.routing')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('settings.routingIntro')}
          </Text>
        </div>
        {policy.isPending && <Loading />}
        {policy.isError && <ErrorState error={policy.error} onRetry={() => policy.refetch()} />}
        {policy.data && <RoutingForm policy={policy.data} />}
      </Stack>
    </Card>
  );
}

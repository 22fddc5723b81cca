import { Alert, Button, Card, Stack, Switch, TagsInput, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ErrorState, Loading } from '../../components/states';
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
        title: 'Routing preferences saved',
        message: 'They apply to your next request.',
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
          label="Allowed providers"
          description="Only these providers may receive your requests. Leave empty to allow any provider."
          placeholder={form.values.allowedProviders.length ? undefined : 'Any provider'}
          data={suggestions}
          clearable
          data-testid="routing-providers"
          {...form.getInputProps('allowedProviders')}
        />
        <Switch
          label="Zero data retention only"
          description="Only use providers that keep neither your prompts nor their outputs."
          data-testid="routing-zero-retention"
          {...form.getInputProps('zeroRetentionOnly', { type: 'checkbox' })}
        />
        <TagsInput
          label="Regions"
          description='Only providers that process requests in these regions, for example "EU". Leave empty to allow any.'
          placeholder={form.values.regions.length ? undefined : 'Any region'}
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
          Save routing preferences
        </Button>
      </Stack>
    </form>
  );
}

/** Standing limits on where requests go; a request no allowed provider can serve is refused, never rerouted. */
export function RoutingSection() {
  const policy = useRoutingPolicy();
  return (
    <Card withBorder padding="lg" data-testid="settings-routing">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Routing
          </Title>
          <Text size="sm" c="dimmed">
            Choose which AI providers may process your requests. A request that none of them can serve is
            refused rather than sent elsewhere.
          </Text>
        </div>
        {policy.isPending && <Loading />}
        {policy.isError && <ErrorState error={policy.error} onRetry={() => policy.refetch()} />}
        {policy.data && <RoutingForm policy={policy.data} />}
      </Stack>
    </Card>
  );
}

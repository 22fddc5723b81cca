/** The form that creates an API key: name, who pays, an optional spend limit, expiry and scopes. */
import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBalance } from '../../api/billing';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import {
  API_KEY_SCOPES,
  API_KEYS_KEY,
  type ApiKeyScope,
  type CreateApiKeyBody,
  type CreatedApiKey,
  PERIOD_LABELS,
  SPEND_LIMIT_PERIODS,
  type SpendLimitPeriod,
  useMyOrganisations,
} from './api-keys-api';

const AMOUNT = /^\d{1,15}(\.\d{1,6})?$/;
const FIELDS = ['name', 'organisationId', 'spendLimit', 'spendLimitPeriod', 'expiresAt', 'scopes'] as const;

interface Values {
  name: string;
  organisationId: string;
  spendLimit: string;
  spendLimitPeriod: SpendLimitPeriod;
  /** A local date (YYYY-MM-DD): the key works until the end of that day. */
  expiresAt: string;
  scopes: ApiKeyScope[];
}

function endOfLocalDay(date: string): Date {
  const [year, month, day] = date.split('-').map((part) => Number.parseInt(part, 10));
  return new Date(year!, month! - 1, day! + 1);
}

function bodyFrom(values: Values): CreateApiKeyBody {
  const limit = values.spendLimit.trim();
  return {
    name: values.name.trim(),
    scopes: values.scopes,
    ...(values.organisationId && { organisationId: values.organisationId }),
    ...(limit && { spendLimit: limit, spendLimitPeriod: values.spendLimitPeriod }),
    ...(values.expiresAt && { expiresAt: endOfLocalDay(values.expiresAt).toISOString() }),
  };
}

export function CreateKeyModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (key: CreatedApiKey) => void;
}) {
  const client = useQueryClient();
  const organisations = useMyOrganisations();
  const currency = useBalance().data?.currency;
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: '',
      organisationId: '',
      spendLimit: '',
      spendLimitPeriod: 'month',
      expiresAt: '',
      scopes: API_KEY_SCOPES.map((scope) => scope.value),
    },
    validate: {
      name: (value) =>
        value.trim() ? (value.trim().length > 100 ? 'At most 100 characters' : null) : 'Give the key a name',
      spendLimit: (value) => {
        const text = value.trim();
        if (!text) return null;
        return AMOUNT.test(text) && /[1-9]/.test(text) ? null : 'A positive amount like 25 or 12.50';
      },
      expiresAt: (value) =>
        !value || endOfLocalDay(value).getTime() > Date.now() ? null : 'Pick a day in the future',
      scopes: (value) => (value.length > 0 ? null : 'Choose at least one permission'),
    },
  });

  const close = () => {
    form.reset();
    setProblem(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const created = await api<CreatedApiKey>('/api/keys', { json: bodyFrom(values) });
      await client.invalidateQueries({ queryKey: API_KEYS_KEY });
      form.reset();
      onCreated(created);
    } catch (error) {
      setProblem(fieldErrorsFrom(error, FIELDS, form.setFieldError));
    }
  });

  const organisationOptions = (organisations.data ?? []).map((organisation) => ({
    value: organisation.id,
    label: `${organisation.name} (organisation balance)`,
  }));

  return (
    <Modal opened={opened} onClose={close} title="Create an API key" size="lg">
      <form onSubmit={submit} noValidate data-testid="create-key-modal">
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="What the key is for, e.g. “Website chatbot”. Only you see it."
            required
            data-autofocus
            maxLength={100}
            data-testid="create-key-name"
            {...form.getInputProps('name')}
          />
          {organisationOptions.length > 0 && (
            <Select
              label="Paid from"
              description="Whose balance the requests made with this key spend"
              data={[{ value: '', label: 'My own balance' }, ...organisationOptions]}
              allowDeselect={false}
              data-testid="create-key-organisation"
              {...form.getInputProps('organisationId')}
            />
          )}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label="Spend limit (optional)"
              description={`The key stops working once it has spent this much${currency ? ` (${currency})` : ''}`}
              inputMode="decimal"
              placeholder="No limit"
              data-testid="create-key-limit"
              {...form.getInputProps('spendLimit')}
            />
            <Select
              label="Limit period"
              description="When the limit starts again (UTC)"
              data={SPEND_LIMIT_PERIODS.map((period) => ({ value: period, label: PERIOD_LABELS[period] }))}
              allowDeselect={false}
              disabled={!form.values.spendLimit.trim()}
              data-testid="create-key-period"
              {...form.getInputProps('spendLimitPeriod')}
            />
          </SimpleGrid>
          <TextInput
            type="date"
            label="Expires after (optional)"
            description="The key stops working at the end of this day. Leave empty for a key that does not expire."
            data-testid="create-key-expires"
            {...form.getInputProps('expiresAt')}
          />
          <Checkbox.Group label="Permissions" required {...form.getInputProps('scopes')}>
            <Stack gap="xs" mt="xs">
              {API_KEY_SCOPES.map((scope) => (
                <Checkbox
                  key={scope.value}
                  value={scope.value}
                  label={scope.label}
                  description={scope.description}
                  data-testid={`create-key-scope-${scope.value.replace(':', '-')}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="create-key-submit">
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

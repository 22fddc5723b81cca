/** The form that creates an API key: name, who pays, an optional spend limit, expiry and scopes. */
import { Alert, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBalance } from '../../api/billing';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
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
  const t = useT();
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
        value.trim() ? (value.trim().length > 100 ? t('keys.nameTooLong') : null) : t('keys.nameRequired'),
      spendLimit: (value) => {
        const text = value.trim();
        if (!text) return null;
        return AMOUNT.test(text) && /[1-9]/.test(text) ? null : t('keys.limitRule');
      },
      expiresAt: (value) =>
        !value || endOfLocalDay(value).getTime() > Date.now() ? null : t('keys.expiryInPast'),
      scopes: (value) => (value.length > 0 ? null : t('keys.permissionsRequired')),
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
    label: t('keys.organisationBalance', { name: organisation.name }),
  }));

  return (
    <Modal opened={opened} onClose={close} title={t('keys.createTitle')} size="lg">
      <form onSubmit={submit} noValidate data-testid="create-key-modal">
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput
            label={t('keys.name')}
            description={t('keys.nameHint')}
            required
            data-autofocus
            maxLength={100}
            data-testid="create-key-name"
            {...form.getInputProps('name')}
          />
          {organisationOptions.length > 0 && (
            <Select
              label={t('keys.paidFrom')}
              description={t('keys.paidFromHint')}
              data={[{ value: '', label: t('keys.ownBalance') }, ...organisationOptions]}
              allowDeselect={false}
              data-testid="create-key-organisation"
              {...form.getInputProps('organisationId')}
            />
          )}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              label={t('keys.spendLimitOptional')}
              description={currency ? t('keys.spendLimitHintIn', { currency }) : t('keys.spendLimitHint')}
              inputMode="decimal"
              placeholder={t('keys.noLimit')}
              data-testid="create-key-limit"
              {...form.getInputProps('spendLimit')}
            />
            <Select
              label={t('keys.limitPeriod')}
              description={t('keys.limitPeriodHint')}
              data={SPEND_LIMIT_PERIODS.map((period) => ({ value: period, label: t(PERIOD_LABELS[period]) }))}
              allowDeselect={false}
              disabled={!form.values.spendLimit.trim()}
              data-testid="create-key-period"
              {...form.getInputProps('spendLimitPeriod')}
            />
          </SimpleGrid>
          <TextInput
            type="date"
            label={t('keys.expiresAfter')}
            description={t('keys.expiresHint')}
            data-testid="create-key-expires"
            {...form.getInputProps('expiresAt')}
          />
          <Checkbox.Group label={t('keys.permissions')} required {...form.getInputProps('scopes')}>
            <Stack gap="xs" mt="xs">
              {API_KEY_SCOPES.map((scope) => (
                <Checkbox
                  key={scope.value}
                  value={scope.value}
                  label={t(scope.label)}
                  description={t(scope.description)}
                  data-testid={`create-key-scope-${scope.value.replace(':', '-')}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="create-key-submit">
              {t('keys.createKey')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

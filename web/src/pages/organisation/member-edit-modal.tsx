import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import {
  ORGANISATIONS_KEY,
  type OrganisationMember,
  PERIOD_LABELS,
  SPEND_LIMIT_PERIODS,
  type SpendLimitPeriod,
} from './organisation-api';
import { canManageRole, grantableRoles, roleDescription, roleLabel } from './organisation-roles';

/** The server's amount format: up to 15 digits, up to 6 decimals; kept as text, never a float. */
const AMOUNT = /^\d{1,15}(\.\d{1,6})?$/;

/** "12,50" as typed where a comma is the decimal mark -> the server's "12.50". */
function amountOf(typed: string): string {
  return typed.trim().replace(',', '.');
}

interface Values {
  role: string;
  spendLimit: string;
  spendLimitPeriod: SpendLimitPeriod;
}

interface Props {
  organisationId: string;
  actorRole: string;
  member: OrganisationMember | null;
  currency?: string;
  onClose: () => void;
}

export function MemberEditModal({ organisationId, actorRole, member, currency, onClose }: Props) {
  const client = useQueryClient();
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { role: 'member', spendLimit: '', spendLimitPeriod: 'month' },
    validate: {
      spendLimit: (value) =>
        value.trim() === '' || AMOUNT.test(amountOf(value)) ? null : t('organisation.amountRule'),
    },
  });
  const roleEditable = member !== null && member.role !== 'owner' && canManageRole(actorRole, member.role);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form resets only when another member is opened
  useEffect(() => {
    if (!member) return;
    form.setValues({
      role: member.role,
      spendLimit: member.spendLimit ?? '',
      spendLimitPeriod: member.spendLimitPeriod,
    });
    form.resetDirty({
      role: member.role,
      spendLimit: member.spendLimit ?? '',
      spendLimitPeriod: member.spendLimitPeriod,
    });
    setProblem(null);
  }, [member]);

  const submit = form.onSubmit(async (values) => {
    if (!member) return;
    setProblem(null);
    const limit = amountOf(values.spendLimit);
    try {
      await api(`/api/organisations/${organisationId}/members/${member.userId}`, {
        method: 'PATCH',
        json: {
          ...(roleEditable && values.role !== member.role ? { role: values.role } : {}),
          spendLimit: limit === '' ? null : limit,
          spendLimitPeriod: values.spendLimitPeriod,
        },
      });
      await client.invalidateQueries({ queryKey: ORGANISATIONS_KEY });
      notifications.show({
        color: 'green',
        title: t('organisation.memberUpdated'),
        message: t('organisation.wasUpdated', { name: member.username }),
      });
      onClose();
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['role', 'spendLimit', 'spendLimitPeriod'], form.setFieldError));
    }
  });

  const roleOptions = grantableRoles(actorRole).map((role) => ({ value: role, label: roleLabel(role, t) }));

  return (
    <Modal
      opened={member !== null}
      onClose={() => !form.submitting && onClose()}
      title={member ? t('organisation.editTitle', { name: member.username }) : t('organisation.editMember')}
      centered
      data-testid="member-edit-modal"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          {roleEditable && (
            <Select
              label={t('organisation.role')}
              description={roleDescription(form.values.role, t)}
              data={roleOptions}
              allowDeselect={false}
              data-testid="member-edit-role"
              value={form.values.role}
              onChange={(value) => value && form.setFieldValue('role', value)}
              error={form.errors.role}
            />
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={currency ? t('organisation.spendLimitIn', { currency }) : t('organisation.spendLimit')}
              description={t('organisation.emptyForNoLimit')}
              placeholder={t('organisation.noLimit')}
              inputMode="decimal"
              miw={140}
              data-testid="member-edit-limit"
              {...form.getInputProps('spendLimit')}
            />
            <Select
              label={t('organisation.limitPeriod')}
              description={t('organisation.restartsInUtc')}
              data={SPEND_LIMIT_PERIODS.map((period) => ({ value: period, label: t(PERIOD_LABELS[period]) }))}
              allowDeselect={false}
              miw={140}
              data-testid="member-edit-period"
              value={form.values.spendLimitPeriod}
              onChange={(value) => value && form.setFieldValue('spendLimitPeriod', value as SpendLimitPeriod)}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('organisation.limitNote')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={form.submitting}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="member-edit-save">
              {t('organisation.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

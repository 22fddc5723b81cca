import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { organisationKey } from './organisation-api';
import { grantableRoles, roleDescription, roleLabel } from './organisation-roles';

export function InviteForm({ organisationId, actorRole }: { organisationId: string; actorRole: string }) {
  const client = useQueryClient();
  const t = useT();
  const roles = grantableRoles(actorRole);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', role: roles.includes('member') ? 'member' : (roles[0] ?? 'member') },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('organisation.enterEmail')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const invitation = await api<{ email: string }>(`/api/organisations/${organisationId}/invitations`, {
        json: { email: values.email.trim(), role: values.role },
      });
      form.setFieldValue('email', '');
      await client.invalidateQueries({ queryKey: organisationKey(organisationId) });
      notifications.show({
        color: 'green',
        title: t('organisation.invitationSent'),
        message: t('organisation.daysToAccept', { email: invitation.email }),
      });
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['email', 'role'], form.setFieldError));
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="invite-form">
      <Stack gap="sm">
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label={t('organisation.emailAddress')}
            type="email"
            placeholder={t('organisation.emailPlaceholder')}
            required
            style={{ flex: '2 1 220px' }}
            data-testid="invite-email"
            {...form.getInputProps('email')}
          />
          <Select
            label={t('organisation.role')}
            data={roles.map((role) => ({ value: role, label: roleLabel(role, t) }))}
            allowDeselect={false}
            style={{ flex: '1 1 140px' }}
            description={roleDescription(form.values.role, t)}
            data-testid="invite-role"
            value={form.values.role}
            onChange={(value) => value && form.setFieldValue('role', value)}
            error={form.errors.role}
          />
        </Group>
        <Button
          type="submit"
          loading={form.submitting}
          style={{ alignSelf: 'flex-start' }}
          data-testid="invite-submit"
        >
          {t('organisation.sendInvitation')}
        </Button>
      </Stack>
    </form>
  );
}

import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { organisationKey } from './organisation-api';
import { grantableRoles, type OrganisationRole, ROLE_DESCRIPTIONS, ROLE_LABELS } from './organisation-roles';

export function InviteForm({ organisationId, actorRole }: { organisationId: string; actorRole: string }) {
  const client = useQueryClient();
  const roles = grantableRoles(actorRole);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', role: roles.includes('member') ? 'member' : (roles[0] ?? 'member') },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : 'Enter an e-mail address') },
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
        title: 'Invitation sent',
        message: `${invitation.email} has 7 days to accept it.`,
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
            label="E-mail address"
            type="email"
            placeholder="colleague@example.com"
            required
            style={{ flex: '2 1 220px' }}
            data-testid="invite-email"
            {...form.getInputProps('email')}
          />
          <Select
            label="Role"
            data={roles.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            allowDeselect={false}
            style={{ flex: '1 1 140px' }}
            description={ROLE_DESCRIPTIONS[form.values.role as OrganisationRole]}
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
          Send invitation
        </Button>
      </Stack>
    </form>
  );
}

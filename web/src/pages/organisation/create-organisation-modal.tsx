import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { ORGANISATIONS_KEY } from './organisation-api';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}

export function CreateOrganisationModal({ opened, onClose, onCreated }: Props) {
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', confirmAuthority: false },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter the organisation’s name'),
      confirmAuthority: (value) => (value ? null : 'Confirm that you may act for the organisation'),
    },
  });
  const close = () => {
    if (form.submitting) return;
    form.reset();
    setProblem(null);
    onClose();
  };
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const created = await api<{ id: string; name: string }>('/api/organisations', {
        json: { name: values.name.trim(), confirmAuthority: values.confirmAuthority },
      });
      await client.invalidateQueries({ queryKey: ORGANISATIONS_KEY });
      notifications.show({
        color: 'green',
        title: 'Organisation created',
        message: `You own ${created.name}.`,
      });
      form.reset();
      onCreated(created.id);
    } catch (error) {
      setProblem(fieldErrorsFrom(error, ['name', 'confirmAuthority'], form.setFieldError));
    }
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Create an organisation"
      centered
      data-testid="create-organisation-modal"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            An organisation shares one balance among its members. You become its owner and can invite others.
          </Text>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput
            label="Name"
            placeholder="Acme Ltd"
            required
            maxLength={100}
            data-autofocus
            data-testid="create-organisation-name"
            {...form.getInputProps('name')}
          />
          <Checkbox
            label="I have the authority to act for this organisation and to accept the terms on its behalf"
            data-testid="create-organisation-authority"
            {...form.getInputProps('confirmAuthority', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="create-organisation-submit">
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrorsFrom } from '../../components/form-errors';
import { useT } from '../../i18n';
import { ORGANISATIONS_KEY } from './organisation-api';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}

export function CreateOrganisationModal({ opened, onClose, onCreated }: Props) {
  const client = useQueryClient();
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', confirmAuthority: false },
    validate: {
      name: (value) => (value.trim() ? null : t('organisation.nameRequired')),
      confirmAuthority: (value) => (value ? null : t('organisation.authorityRequired')),
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
        title: t('organisation.created'),
        message: t('organisation.youOwn', { name: created.name }),
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
      title={t('organisation.createTitle')}
      centered
      data-testid="create-organisation-modal"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('organisation.createIntro')}</Text>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput
            label={t('organisation.name')}
            placeholder={t('organisation.namePlaceholder')}
            required
            maxLength={100}
            data-autofocus
            data-testid="create-organisation-name"
            {...form.getInputProps('name')}
          />
          <Checkbox
            label={t('organisation.authority')}
            data-testid="create-organisation-authority"
            {...form.getInputProps('confirmAuthority', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={form.submitting}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="create-organisation-submit">
              {t('organisation.createButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

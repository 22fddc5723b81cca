/**
 * The user's organisations: pick one (`?id=` keeps the choice in the address), see its shared
 * balance, members and invitations, and act on them as far as the role allows; or create one.
 */
import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/session';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { CreateOrganisationModal } from './create-organisation-modal';
import { useOrganisations } from './organisation-api';
import { OrganisationDetailsView } from './organisation-details';
import { roleLabel } from './organisation-roles';

export function OrganisationPage() {
  const session = useSession();
  const organisations = useOrganisations();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const select = (id: string | null) => setParams(id ? { id } : {}, { replace: true });

  const list = organisations.data ?? [];
  const requested = params.get('id');
  const selected = list.find((organisation) => organisation.id === requested) ?? list[0] ?? null;

  return (
    <Stack maw={960} data-testid="organisation-page">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {t('organisation.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('organisation.intro')}
          </Text>
        </div>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setCreating(true)}
          data-testid="organisation-create"
        >
          {t('organisation.create')}
        </Button>
      </Group>
      {organisations.isPending && <Loading />}
      {organisations.isError && (
        <ErrorState error={organisations.error} onRetry={() => organisations.refetch()} />
      )}
      {organisations.data && list.length === 0 && (
        <EmptyState title={t('organisation.notInAny')}>{t('organisation.notInAnyText')}</EmptyState>
      )}
      {list.length > 1 && (
        <Select
          label={t('organisation.organisation')}
          data={list.map((organisation) => ({
            value: organisation.id,
            label: t('organisation.nameWithRole', {
              name: organisation.name,
              role: roleLabel(organisation.role, t),
            }),
          }))}
          value={selected?.id ?? null}
          onChange={select}
          allowDeselect={false}
          maw={420}
          data-testid="organisation-select"
        />
      )}
      {selected && session.data && (
        <OrganisationDetailsView
          key={selected.id}
          id={selected.id}
          selfId={session.data.user.id}
          onLeft={() => select(null)}
        />
      )}
      <CreateOrganisationModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          select(id);
        }}
      />
    </Stack>
  );
}

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
import { CreateOrganisationModal } from './create-organisation-modal';
import { useOrganisations } from './organisation-api';
import { OrganisationDetailsView } from './organisation-details';
import { roleLabel } from './organisation-roles';

export function OrganisationPage() {
  const session = useSession();
  const organisations = useOrganisations();
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
            Organisations
          </Title>
          <Text size="sm" c="dimmed">
            Share one balance with your team, with a role and a spend limit for each member.
          </Text>
        </div>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setCreating(true)}
          data-testid="organisation-create"
        >
          Create organisation
        </Button>
      </Group>
      {organisations.isPending && <Loading />}
      {organisations.isError && (
        <ErrorState error={organisations.error} onRetry={() => organisations.refetch()} />
      )}
      {organisations.data && list.length === 0 && (
        <EmptyState title="You are not in any organisation">
          Create one to share a balance with others, or accept an invitation from the e-mail you received.
        </EmptyState>
      )}
      {list.length > 1 && (
        <Select
          label="Organisation"
          data={list.map((organisation) => ({
            value: organisation.id,
            label: `${organisation.name} (${roleLabel(organisation.role)})`,
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

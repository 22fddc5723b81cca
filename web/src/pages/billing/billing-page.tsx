/** Billing: the balance and how to add credit, spend over time, and the history of transactions. */
import '@mantine/charts/styles.css';
import { Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useMyOrganisations } from '../keys/api-keys-api';
import { BalanceCard } from './balance-card';
import { useWalletBalance } from './billing-api';
import { SpendSection } from './spend-section';
import { TransactionsSection } from './transactions-section';

/** Roles that may see an organisation's billing (view_billing in organisation-roles.ts). */
const BILLING_ROLES = new Set(['owner', 'admin', 'billing']);

export function BillingPage() {
  const organisations = useMyOrganisations();
  const [wallet, setWallet] = useState('');
  const organisationId = wallet || null;
  const currency = useWalletBalance(organisationId).data?.currency;
  const billable = (organisations.data ?? []).filter((organisation) => BILLING_ROLES.has(organisation.role));

  return (
    <Stack gap="lg" maw={1100} data-testid="billing-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            Billing
          </Title>
          <Text size="sm" c="dimmed" maw={640}>
            Your credit, what you spent it on, and every transaction. Requests are paid from the balance as
            they are made.
          </Text>
        </div>
        {billable.length > 0 && (
          <Select
            label="Wallet"
            data={[
              { value: '', label: 'My own wallet' },
              ...billable.map((organisation) => ({ value: organisation.id, label: organisation.name })),
            ]}
            value={wallet}
            onChange={(value) => setWallet(value ?? '')}
            allowDeselect={false}
            w={240}
            maw="100%"
            data-testid="wallet-select"
          />
        )}
      </Group>
      <BalanceCard organisationId={organisationId} />
      <SpendSection organisationId={organisationId} />
      <TransactionsSection key={wallet} organisationId={organisationId} currency={currency} />
    </Stack>
  );
}

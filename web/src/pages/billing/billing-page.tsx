/** Billing: the balance and how to add credit, spend over time, and the history of transactions. */
import '@mantine/charts/styles.css';
import { Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { addEnglishArea, useT } from '../../i18n';
import { billing } from '../../i18n/messages/en/billing';
import { useMyOrganisations } from '../keys/api-keys-api';
import { BalanceCard } from './balance-card';
import { useWalletBalance } from './billing-api';
import { SpendSection } from './spend-section';
import { TransactionsSection } from './transactions-section';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('billing', billing);

/** Roles that may see an organisation's billing (view_billing in organisation-roles.ts). */
const BILLING_ROLES = new Set(['owner', 'admin', 'billing']);

export function BillingPage() {
  const t = useT();
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
            {t('billing.title')}
          </Title>
          <Text size="sm" c="dimmed" maw={640}>
            {t('billing.intro')}
          </Text>
        </div>
        {billable.length > 0 && (
          <Select
            label={t('billing.wallet')}
            data={[
              { value: '', label: t('billing.ownWallet') },
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

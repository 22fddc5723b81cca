import { Title } from '@mantine/core';

export function BillingPage() {
  return <Title order={2}>Billing</Title>;
}

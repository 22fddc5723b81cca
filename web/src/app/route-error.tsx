import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router';
import { errorMessage } from '../api/client';
import { useT } from '../i18n';

/** A page that failed to load or render: says so and offers a reload (a new build may be out). */
export function RouteError() {
  const error = useRouteError();
  const t = useT();
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" maw={480}>
        <Title order={2}>{t('layout.routeErrorTitle')}</Title>
        <Text c="dimmed" ta="center">
          {errorMessage(error)}
        </Text>
        <Button onClick={() => window.location.reload()}>{t('layout.reload')}</Button>
      </Stack>
    </Center>
  );
}

import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useT } from '../i18n';

export function NotFoundPage() {
  const t = useT();
  return (
    <Center mih="50vh">
      <Stack align="center">
        <Title order={2}>{t('layout.notFoundTitle')}</Title>
        <Text c="dimmed">{t('layout.notFoundText')}</Text>
        <Button component={Link} to="/chat">
          {t('layout.goToChat')}
        </Button>
      </Stack>
    </Center>
  );
}

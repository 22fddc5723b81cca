import { Anchor, Center, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { Loading } from '../components/states';
import { LANGUAGES, type Language, useI18n } from '../i18n';
import { CookieConsent } from '../privacy/cookie-consent';

/**
 * Sign-up, log-in, verification and reset: one centred card, with the legal links below it and a
 * language choice (signed out, no preference is known yet: the browser's languages guessed it).
 */
export function AuthLayout() {
  const { t, language, chooseLanguage } = useI18n();
  return (
    <Center component="main" mih="100vh" p="md">
      <Stack w="100%" maw={440} gap="md">
        <Title order={1} ta="center" size="h2">
          Mixgate
        </Title>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Paper>
        <Group justify="center" gap="md">
          <Anchor href="/legal/terms" size="xs" c="dimmed">
            {t('legal.terms')}
          </Anchor>
          <Anchor href="/legal/privacy" size="xs" c="dimmed">
            {t('legal.privacy')}
          </Anchor>
          <Anchor href="/legal" size="xs" c="dimmed">
            {t('legal.allDocuments')}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('legal.aiNotice')}
          </Text>
          <NativeSelect
            size="xs"
            aria-label={t('layout.language')}
            data={LANGUAGES.map(({ code, name }) => ({ value: code, label: name }))}
            value={language}
            onChange={(event) => chooseLanguage(event.currentTarget.value as Language)}
            data-testid="auth-language"
          />
          <CookieConsent />
        </Group>
      </Stack>
    </Center>
  );
}

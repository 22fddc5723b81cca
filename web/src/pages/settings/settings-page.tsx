/**
 * The signed-in user's own account: profile, password, two-factor, signed-in devices, routing
 * restrictions and privacy preferences, one tab each; `?tab=` keeps the tab in the address.
 */
import { Stack, Tabs, Text, Title } from '@mantine/core';
import { IconDevices, IconLock, IconRoute, IconShieldCheck, IconUser } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../api/session';
import { ErrorState, Loading } from '../../components/states';
import { addEnglishArea, type MessageKey, useT } from '../../i18n';
import { settings } from '../../i18n/messages/en/settings';
import { PasswordSection } from './password-section';
import { PrivacySection } from './privacy-section';
import { ProfileSection } from './profile-section';
import { RoutingSection } from './routing-section';
import { SessionsSection } from './sessions-section';
import { TwoFactorSection } from './two-factor-section';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('settings', settings);

const TABS: ReadonlyArray<{ value: string; label: MessageKey; icon: typeof IconUser }> = [
  { value: 'profile', label: 'settings.tabProfile', icon: IconUser },
  { value: 'security', label: 'settings.tabSecurity', icon: IconLock },
  { value: 'devices', label: 'settings.tabDevices', icon: IconDevices },
  { value: 'routing', label: 'settings.tabRouting', icon: IconRoute },
  { value: 'privacy', label: 'settings.tabPrivacy', icon: IconShieldCheck },
];

export function SettingsPage() {
  const t = useT();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab = TABS.some((item) => item.value === requested) ? requested! : 'profile';

  if (session.isPending) return <Loading />;
  if (session.isError || !session.data)
    return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  const { user } = session.data;

  return (
    <Stack maw={760} data-testid="settings-page">
      <div>
        <Title order={1} size="h2">
          {t('settings.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('settings.intro')}
        </Text>
      </div>
      {/* Panels stay mounted: recovery codes on screen must survive a look at another tab. */}
      <Tabs value={tab} onChange={(value) => value && setParams({ tab: value }, { replace: true })}>
        <Tabs.List mb="md">
          {TABS.map((item) => (
            <Tabs.Tab
              key={item.value}
              value={item.value}
              leftSection={<item.icon size={16} />}
              data-testid={`settings-tab-${item.value}`}
            >
              {t(item.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileSection user={user} />
        </Tabs.Panel>
        <Tabs.Panel value="security">
          <Stack>
            <PasswordSection />
            <TwoFactorSection enabled={user.twoFactorEnabled} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="devices">
          <SessionsSection />
        </Tabs.Panel>
        <Tabs.Panel value="routing">
          <RoutingSection />
        </Tabs.Panel>
        <Tabs.Panel value="privacy">
          <PrivacySection />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

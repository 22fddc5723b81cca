/**
 * The signed-in shell: header (balance, theme, account menu), navigation (a drawer on phones) and
 * the page. Signed-out visitors are sent to the log-in page and brought back afterwards.
 */
import {
  ActionIcon,
  AppShell,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  Text,
  Tooltip,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuilding,
  IconCreditCard,
  IconKey,
  IconLifebuoy,
  IconLogout,
  IconMessages,
  IconMoon,
  IconPhoto,
  IconSettings,
  IconShieldLock,
  IconSun,
  IconUserCircle,
} from '@tabler/icons-react';
import { type ReactNode, Suspense } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useBalance } from '../api/billing';
import { api } from '../api/client';
import { usePendingAcceptances } from '../api/legal';
import { useSession, useSessionUpdater } from '../api/session';
import { formatMoney, formatMoneyShort } from '../components/money';
import { ErrorState, Loading } from '../components/states';
import { type MessageKey, useT } from '../i18n';
import { CookieConsent } from '../privacy/cookie-consent';
import { LegalAcceptanceGate } from './legal-acceptance-gate';
import { LegalChangeBanner } from './legal-change-banner';

const NAVIGATION: ReadonlyArray<{ to: string; label: MessageKey; icon: typeof IconMessages }> = [
  { to: '/chat', label: 'layout.navChat', icon: IconMessages },
  { to: '/studio', label: 'layout.navStudio', icon: IconPhoto },
  { to: '/billing', label: 'layout.navBilling', icon: IconCreditCard },
  { to: '/keys', label: 'layout.navKeys', icon: IconKey },
  { to: '/organisation', label: 'layout.navOrganisation', icon: IconBuilding },
  { to: '/settings', label: 'layout.navSettings', icon: IconSettings },
  { to: '/privacy', label: 'layout.navPrivacy', icon: IconShieldLock },
  { to: '/support', label: 'layout.navSupport', icon: IconLifebuoy },
];

export function AppLayout() {
  const session = useSession();
  const location = useLocation();
  const t = useT();
  const [opened, { toggle, close }] = useDisclosure(false);

  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('layout.openNavigation')}
            />
            <Text component={Link} to="/chat" fw={700} size="lg">
              Mixgate
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <BalanceBadge />
            <ThemeToggle />
            <AccountMenu email={session.data.user.email} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('layout.mainNavigation')}>
        {NAVIGATION.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={t(item.label)}
            leftSection={<item.icon size={18} stroke={1.6} />}
            active={location.pathname === item.to || location.pathname.startsWith(`${item.to}/`)}
            onClick={close}
          />
        ))}
        <AppShell.Section mt="auto" px="sm" pt="md">
          <CookieConsent />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <LegalChangeBanner />
        <Suspense fallback={<Loading />}>
          <AcceptedOnly>
            <Outlet />
          </AcceptedOnly>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

/** The page, once nothing is left to accept; the acceptance form until then. */
function AcceptedOnly({ children }: { children: ReactNode }) {
  const pending = usePendingAcceptances();
  if (pending.isPending) return <Loading />;
  if (pending.isError) return <ErrorState error={pending.error} onRetry={() => pending.refetch()} />;
  if (pending.data.documents.length > 0 || pending.data.ageConfirmationRequired) {
    return <LegalAcceptanceGate pending={pending.data} />;
  }
  return children;
}

function BalanceBadge() {
  const balance = useBalance();
  const t = useT();
  if (!balance.data) return null;
  return (
    <Tooltip label={t('layout.balanceTooltip', { held: formatMoney(balance.data.held) })} withArrow>
      <Badge
        component={Link}
        to="/billing"
        size="lg"
        variant="light"
        style={{ cursor: 'pointer' }}
        data-testid="header-balance"
        data-amount={balance.data.available}
        styles={{ label: { overflow: 'visible' } }}
      >
        {formatMoneyShort(balance.data.available, balance.data.currency)}
      </Badge>
    </Tooltip>
  );
}

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const t = useT();
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon
      variant="subtle"
      size="lg"
      onClick={() => setColorScheme(next)}
      aria-label={t(next === 'dark' ? 'layout.switchToDark' : 'layout.switchToLight')}
    >
      {scheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
    </ActionIcon>
  );
}

function AccountMenu({ email }: { email: string }) {
  const navigate = useNavigate();
  const t = useT();
  const { signedOut } = useSessionUpdater();
  const logOut = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      await signedOut();
      navigate('/login');
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('layout.accountMenu')}>
          <IconUserCircle size={26} stroke={1.4} />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{email}</Menu.Label>
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} />}>
          {t('layout.navSettings')}
        </Menu.Item>
        <Menu.Item onClick={logOut} leftSection={<IconLogout size={16} />}>
          {t('layout.logOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

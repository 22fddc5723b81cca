/**
 * The privacy centre: the account holder's rights under the GDPR made into buttons (a copy of
 * their data, corrections and objections, the erasure of the account), the requests they made
 * with their deadlines, and the AI providers their requests go to. Closing the account sits beside
 * its erasure: the two ways to leave, compared where the user looks for either.
 */
import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../../api/session';
import { ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { addEnglishArea } from '../../i18n/load-catalog';
import { privacy } from '../../i18n/messages/en/privacy';
import { CloseAccountCard } from './close-account-card';
import { DeleteAccountCard } from './delete-account-card';
import { ExportCard } from './export-card';
import { OtherRightsForm } from './other-rights-form';
import { usePrivacyRequests } from './privacy-api';
import { RequestsSection } from './requests-section';
import { SubProcessorsSection } from './sub-processors-section';

// This page's English ships in its chunk rather than with the app (i18n/messages/en/page-areas.ts).
addEnglishArea('privacy', privacy);

export function PrivacyPage() {
  const { t, rich } = useI18n();
  const session = useSession();
  const requests = usePrivacyRequests();

  if (session.isPending) return <Loading />;
  if (session.isError || !session.data)
    return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  // Newest first, as the server lists them.
  const latestExport = requests.data?.find((request) => request.type === 'access');

  return (
    <Stack maw={960} gap="lg" data-testid="privacy-page">
      <div>
        <Title order={1} size="h2">
          {t('privacy.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('privacy.intro')}
        </Text>
      </div>

      <Card withBorder padding="lg">
        <Stack gap="md">
          <div>
            <Title order={2} size="h4">
              {t('privacy.yourDataTitle')}
            </Title>
            <Text size="sm">
              {rich('privacy.yourDataText', {
                policy: <Anchor href="/legal/privacy">{t('privacy.policyLink')}</Anchor>,
                list: <Anchor href="/legal/sub-processors">{t('privacy.subProcessorList')}</Anchor>,
              })}
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <ExportCard latest={latestExport} pending={requests.isPending} />
            <OtherRightsForm />
          </SimpleGrid>
        </Stack>
      </Card>

      <RequestsSection requests={requests} />
      <SubProcessorsSection />
      {/* Side by side, so that whoever wants to leave sees both ways and what each keeps. */}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <CloseAccountCard />
        <DeleteAccountCard email={session.data.user.email} />
      </SimpleGrid>
    </Stack>
  );
}

import { Alert, Anchor, Button, Center, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { acceptanceQuery, type PendingAcceptances, useLegalAnnouncements } from '../api/legal';
import { useI18n, useT } from '../i18n';
import type { LegalChangeShown } from './legal-diff-modal';

const LegalDiffModal = lazy(() =>
  import('./legal-diff-modal').then((module) => ({ default: module.LegalDiffModal })),
);

const NAMES = { terms: 'legal.terms', privacy: 'legal.privacy' } as const;

type PendingDocument = PendingAcceptances['documents'][number];

/**
 * Before any page: the documents in effect that this account has not accepted (an account the
 * operator created, or a new version since sign-up) and, if it was never given, the 18+ attestation.
 */
export function LegalAcceptanceGate({ pending }: { pending: PendingAcceptances }) {
  const client = useQueryClient();
  const t = useT();
  const [accepted, setAccepted] = useState(false);
  const [adult, setAdult] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const ready = (pending.documents.length === 0 || accepted) && (!pending.ageConfirmationRequired || adult);

  const submit = async () => {
    setProblem(null);
    setSending(true);
    try {
      const versions = Object.fromEntries(
        pending.documents.map((document) => [document.type, document.version]),
      );
      const next = await api<PendingAcceptances>('/api/legal/acceptance', {
        json: { ...versions, ...(pending.ageConfirmationRequired && { ageConfirmed: true }) },
      });
      client.setQueryData(acceptanceQuery.queryKey, next);
    } catch (error) {
      setProblem(errorMessage(error));
      void client.invalidateQueries({ queryKey: acceptanceQuery.queryKey });
    } finally {
      setSending(false);
    }
  };

  return (
    <Center py="xl">
      <Paper withBorder p="lg" maw={520} w="100%" data-testid="legal-acceptance-gate">
        <Stack>
          <Title order={2} size="h3">
            {t('legal.gateTitle')}
          </Title>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          {pending.documents.length > 0 && (
            <>
              <Text size="sm">{t('legal.gateIntro')}</Text>
              <Stack gap={4}>
                {pending.documents.map((document) => (
                  <PendingDocumentLine key={document.type} document={document} />
                ))}
              </Stack>
              <Checkbox
                label={t('legal.gateAccept')}
                checked={accepted}
                onChange={(event) => setAccepted(event.currentTarget.checked)}
              />
            </>
          )}
          {pending.ageConfirmationRequired && (
            <Checkbox
              label={t('legal.ageConfirm')}
              checked={adult}
              onChange={(event) => setAdult(event.currentTarget.checked)}
            />
          )}
          <Button onClick={submit} disabled={!ready} loading={sending} data-testid="legal-accept">
            {t('legal.continue')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}

/**
 * One document to accept, and for a new version of one accepted before, what changed: the
 * comparison from the announcements when they carry it, else the public page of the changes.
 */
function PendingDocumentLine({ document }: { document: PendingDocument }) {
  const { t, language } = useI18n();
  const updated = document.previousVersion !== null;
  const announcements = useLegalAnnouncements(language, updated);
  const [shown, setShown] = useState<LegalChangeShown | null>(null);
  const announcement = announcements.data?.announcements.find(
    (candidate) => candidate.type === document.type && candidate.version === document.version,
  );
  return (
    <Group gap="xs" data-testid="legal-pending-document" data-type={document.type}>
      <Anchor href={document.url} target="_blank" rel="noopener">
        {t('legal.documentVersion', { name: t(NAMES[document.type]), version: document.version })}
      </Anchor>
      {updated && (
        <>
          <Text size="sm" c="dimmed">
            {t('legalChange.updatedFrom', { version: document.previousVersion ?? '' })}
          </Text>
          {announcement ? (
            <Anchor component="button" type="button" size="sm" onClick={() => setShown(announcement)}>
              {t('legalChange.seeWhatChanged')}
            </Anchor>
          ) : (
            document.changesUrl && (
              <Anchor href={document.changesUrl} target="_blank" rel="noopener" size="sm">
                {t('legalChange.seeWhatChanged')}
              </Anchor>
            )
          )}
        </>
      )}
      {shown && (
        <Suspense fallback={null}>
          <LegalDiffModal change={shown} onClose={() => setShown(null)} />
        </Suspense>
      )}
    </Group>
  );
}

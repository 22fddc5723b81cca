import { Alert, Anchor, Button, Center, Checkbox, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { acceptanceQuery, type PendingAcceptances } from '../api/legal';
import { useT } from '../i18n';

const NAMES = { terms: 'legal.terms', privacy: 'legal.privacy' } as const;

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
                  <Anchor key={document.type} href={document.url} target="_blank" rel="noopener">
                    {t('legal.documentVersion', { name: t(NAMES[document.type]), version: document.version })}
                  </Anchor>
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

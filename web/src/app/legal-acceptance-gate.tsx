import { Alert, Anchor, Button, Center, Checkbox, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import { acceptanceQuery, type PendingAcceptances } from '../api/legal';

const NAMES = { terms: 'Terms of Service', privacy: 'Privacy Policy' } as const;

/**
 * Before any page: the documents in effect that this account has not accepted (an account the
 * operator created, or a new version since sign-up) and, if it was never given, the 18+ attestation.
 */
export function LegalAcceptanceGate({ pending }: { pending: PendingAcceptances }) {
  const client = useQueryClient();
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
            Before you continue
          </Title>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          {pending.documents.length > 0 && (
            <>
              <Text size="sm">
                Please read and accept the documents that govern your use of this service:
              </Text>
              <Stack gap={4}>
                {pending.documents.map((document) => (
                  <Anchor key={document.type} href={document.url} target="_blank" rel="noopener">
                    {NAMES[document.type]} (version {document.version})
                  </Anchor>
                ))}
              </Stack>
              <Checkbox
                label="I have read them and accept the Terms of Service and the Privacy Policy"
                checked={accepted}
                onChange={(event) => setAccepted(event.currentTarget.checked)}
              />
            </>
          )}
          {pending.ageConfirmationRequired && (
            <Checkbox
              label="I am 18 years of age or older"
              checked={adult}
              onChange={(event) => setAdult(event.currentTarget.checked)}
            />
          )}
          <Button onClick={submit} disabled={!ready} loading={sending} data-testid="legal-accept">
            Continue
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}

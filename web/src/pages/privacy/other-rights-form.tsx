/**
 * The rights staff answer by hand (Art. 7(3), 16, 18, 21): pick one, say what it is about in your
 * own words, and confirm with the password.
 */
import { Alert, Button, Card, PasswordInput, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type MessageKey, useT } from '../../i18n';
import {
  createPrivacyRequest,
  DETAILS_MAX_LENGTH,
  OTHER_RIGHTS,
  type OtherRight,
  PRIVACY_REQUESTS_KEY,
} from './privacy-api';
import { refusalOf, typeLabel } from './request-labels';

const DESCRIPTIONS: Record<OtherRight, MessageKey> = {
  rectification: 'privacy.rectificationText',
  restriction: 'privacy.restrictionText',
  objection: 'privacy.objectionText',
  consent_withdrawal: 'privacy.consentWithdrawalText',
};

interface Values {
  type: OtherRight;
  details: string;
  password: string;
}

export function OtherRightsForm() {
  const t = useT();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { type: 'rectification', details: '', password: '' },
    validate: {
      details: (value) =>
        value.length > DETAILS_MAX_LENGTH ? t('privacy.detailsTooLong', { max: DETAILS_MAX_LENGTH }) : null,
      password: (value) => (value ? null : t('privacy.enterPassword')),
    },
  });

  const submit = form.onSubmit(async ({ type, details, password }) => {
    setProblem(null);
    try {
      const trimmed = details.trim();
      await createPrivacyRequest({ type, password, ...(trimmed && { details: trimmed }) });
      form.reset();
      await client.invalidateQueries({ queryKey: PRIVACY_REQUESTS_KEY });
      notifications.show({
        color: 'teal',
        title: t('privacy.requestSent'),
        message: t('privacy.requestSentText'),
      });
    } catch (error) {
      const refusal = refusalOf(error, t);
      if (refusal.onPassword) form.setFieldError('password', refusal.message);
      else setProblem(refusal.message);
    }
  });

  return (
    <Card withBorder padding="lg" data-testid="privacy-other-rights">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <div>
            <Title order={3} size="h5">
              {t('privacy.otherRightsTitle')}
            </Title>
            <Text size="sm">{t('privacy.otherRightsText')}</Text>
          </div>
          {problem && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Radio.Group label={t('privacy.whichRight')} {...form.getInputProps('type')}>
            <Stack gap="xs" mt="xs">
              {OTHER_RIGHTS.map((right) => (
                <Radio
                  key={right}
                  value={right}
                  label={typeLabel(right, t)}
                  description={t(DESCRIPTIONS[right])}
                  data-testid={`other-right-${right}`}
                />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={t('privacy.details')}
            description={t('privacy.detailsHint')}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={DETAILS_MAX_LENGTH}
            data-testid="other-right-details"
            {...form.getInputProps('details')}
          />
          <PasswordInput
            label={t('privacy.password')}
            description={t('privacy.passwordHint')}
            autoComplete="current-password"
            required
            data-testid="other-right-password"
            {...form.getInputProps('password')}
          />
          <Button
            type="submit"
            loading={form.submitting}
            style={{ alignSelf: 'flex-start' }}
            data-testid="other-right-submit"
          >
            {t('privacy.sendRequest')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

/**
 * What changes between two versions of a legal document, word by word: added text on green and
 * underlined, removed text on red and struck through, each also announced to screen readers
 * (colour and <ins>/<del> alone are not read out). Long unchanged stretches are shortened, with
 * links to the whole new version and to the comparison as a page of its own. Loaded only when
 * opened, so the banner in every page's layout stays light.
 */
import { Anchor, Box, Group, Modal, Stack, Text, VisuallyHidden } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { LegalAnnouncement } from '../api/legal';
import { useI18n } from '../i18n';
import { collapseUnchanged, type DiffSegment } from './collapse-unchanged';

export type LegalChangeShown = Pick<
  LegalAnnouncement,
  'title' | 'version' | 'previousVersion' | 'effectiveAt' | 'diff' | 'url' | 'changesUrl'
>;

const ADDED: CSSProperties = {
  backgroundColor: 'var(--mantine-color-green-light)',
  textDecoration: 'underline',
};
const REMOVED: CSSProperties = {
  backgroundColor: 'var(--mantine-color-red-light)',
  textDecoration: 'line-through',
};

export function LegalDiffModal({ change, onClose }: { change: LegalChangeShown; onClose(): void }) {
  const { t, formatDate } = useI18n();
  const date = formatDate(change.effectiveAt);
  const changed = change.diff.some((part) => part.kind !== 'same');
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={t('legalChange.diffTitle', { title: change.title })}
      closeButtonProps={{ 'aria-label': t('legalChange.close') }}
    >
      <Stack gap="sm" data-testid="legal-diff-modal">
        <Text size="sm" c="dimmed">
          {change.previousVersion === null
            ? t('legalChange.diffFirstVersion', { version: change.version, date })
            : t('legalChange.diffVersions', {
                previous: change.previousVersion,
                version: change.version,
                date,
              })}
        </Text>
        {changed ? (
          <>
            <Text size="sm">{t('legalChange.diffLegend')}</Text>
            <Box
              component="div"
              fz="sm"
              p="sm"
              bd="1px solid var(--mantine-color-default-border)"
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', borderRadius: 4 }}
              data-testid="legal-diff"
            >
              {collapseUnchanged(change.diff).map((segment, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move, so their position is their identity
                <DiffSegmentView key={index} segment={segment} />
              ))}
            </Box>
          </>
        ) : (
          <Text size="sm">{t('legalChange.noChanges')}</Text>
        )}
        <Group gap="lg">
          <Anchor href={change.url} target="_blank" rel="noopener" size="sm">
            {t('legalChange.fullVersion')}
          </Anchor>
          <Anchor href={change.changesUrl} target="_blank" rel="noopener" size="sm">
            {t('legalChange.changesPage')}
          </Anchor>
        </Group>
      </Stack>
    </Modal>
  );
}

function DiffSegmentView({ segment }: { segment: DiffSegment }) {
  const { t } = useI18n();
  switch (segment.kind) {
    case 'same':
      return <span>{segment.text}</span>;
    case 'collapsed':
      return (
        <span>
          {segment.head}
          <Text
            span
            c="dimmed"
            px={6}
            mx={2}
            bg="var(--mantine-color-default-hover)"
            title={t('legalChange.omitted')}
          >
            <span aria-hidden>…</span>
            <VisuallyHidden>({t('legalChange.omitted')})</VisuallyHidden>
          </Text>
          {segment.tail}
        </span>
      );
    case 'added':
      return (
        <ins style={ADDED}>
          <VisuallyHidden>{t('legalChange.addedStart')} </VisuallyHidden>
          {segment.text}
          <VisuallyHidden> {t('legalChange.addedEnd')}</VisuallyHidden>
        </ins>
      );
    case 'removed':
      return (
        <del style={REMOVED}>
          <VisuallyHidden>{t('legalChange.removedStart')} </VisuallyHidden>
          {segment.text}
          <VisuallyHidden> {t('legalChange.removedEnd')}</VisuallyHidden>
        </del>
      );
  }
}

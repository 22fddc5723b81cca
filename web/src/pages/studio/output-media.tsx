/**
 * An output's files: images as thumbnails that open larger in a modal, audio and video in the
 * browser's own players, anything else as a plain link.
 */
import { Anchor, Button, Image, Modal, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useT } from '../../i18n';

export interface MediaFile {
  url: string;
  mediaType: string;
  /** Where "download" points: the server's attachment URL, or a blob URL with a file name. */
  downloadHref: string;
  downloadName?: string;
}

export function OutputMedia({ files, prompt }: { files: MediaFile[]; prompt: string }) {
  const t = useT();
  const [opened, setOpened] = useState<MediaFile | null>(null);
  const images = files.filter((file) => file.mediaType.startsWith('image/'));
  const others = files.filter((file) => !file.mediaType.startsWith('image/'));
  const several = images.length > 1;

  return (
    <Stack gap="xs">
      {images.length > 0 && (
        <SimpleGrid cols={several ? 2 : 1} spacing="xs">
          {images.map((file, index) => (
            <UnstyledButton
              key={file.url}
              onClick={() => setOpened(file)}
              aria-label={
                several ? t('studio.openImageNumbered', { number: index + 1 }) : t('studio.openImage')
              }
              data-testid="output-image-open"
            >
              <Image
                src={file.url}
                alt={prompt}
                h={several ? 120 : 220}
                fit="cover"
                radius="sm"
                loading="lazy"
              />
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      {others.map((file) => (
        <Player key={file.url} file={file} prompt={prompt} />
      ))}
      <Modal
        opened={opened !== null}
        onClose={() => setOpened(null)}
        title={t('studio.image')}
        size="xl"
        centered
      >
        {opened && (
          <Stack data-testid="output-image-modal">
            <Image src={opened.url} alt={prompt} fit="contain" mah="75vh" radius="sm" />
            <Button
              component="a"
              href={opened.downloadHref}
              download={opened.downloadName ?? true}
              variant="light"
              leftSection={<IconDownload size={16} />}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('studio.download')}
            </Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function Player({ file, prompt }: { file: MediaFile; prompt: string }) {
  const t = useT();
  const [failed, setFailed] = useState(false);
  const label = t('studio.generatedFrom', { prompt: prompt.slice(0, 120) });
  const playable = file.mediaType.startsWith('audio/') || file.mediaType.startsWith('video/');
  if (failed || !playable) {
    return (
      <Text size="sm" c="dimmed">
        {playable ? t('studio.cannotPlay') : t('studio.fileOfType', { type: file.mediaType })}{' '}
        <Anchor href={file.downloadHref} download={file.downloadName ?? true} size="sm">
          {t('studio.download')}
        </Anchor>
      </Text>
    );
  }
  const onError = () => setFailed(true);
  if (file.mediaType.startsWith('audio/')) {
    return (
      // biome-ignore lint/a11y/useMediaCaption: generated audio has no captions; its prompt is shown beside it.
      <audio
        controls
        // A blob: URL is in memory already; a server file loads when played.
        preload={file.url.startsWith('blob:') ? 'auto' : 'none'}
        src={file.url}
        aria-label={label}
        onError={onError}
        style={{ width: '100%' }}
      />
    );
  }
  return (
    // biome-ignore lint/a11y/useMediaCaption: generated video has no captions; its prompt is shown beside it.
    <video
      controls
      preload="metadata"
      src={file.url}
      aria-label={label}
      onError={onError}
      style={{ width: '100%', maxHeight: 320, borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
}

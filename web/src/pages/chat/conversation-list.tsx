import { ActionIcon, Button, Menu, NavLink, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconDots, IconDownload, IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  type ConversationSummary,
  exportUrl,
  useConversationActions,
  useConversations,
} from '../../api/conversations';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n, useT } from '../../i18n';

/** The user's conversations, newest first: search, open, rename, export, delete. */
export function ConversationList({
  activeId,
  onNavigate,
}: {
  activeId: string | undefined;
  onNavigate?(): void;
}) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const conversations = useConversations(query);
  const navigate = useNavigate();
  const t = useT();

  return (
    <Stack gap="xs" h="100%">
      <Button
        component={Link}
        to="/chat"
        leftSection={<IconPlus size={16} />}
        variant="light"
        onClick={onNavigate}
        data-testid="new-chat"
      >
        {t('chat.newChat')}
      </Button>
      <TextInput
        aria-label={t('chat.searchConversations')}
        placeholder={t('chat.search')}
        leftSection={<IconSearch size={14} />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <ScrollArea style={{ flex: 1 }} type="auto">
        {conversations.isPending ? (
          <Loading />
        ) : conversations.isError ? (
          <ErrorState error={conversations.error} onRetry={() => conversations.refetch()} />
        ) : conversations.data.conversations.length === 0 ? (
          <EmptyState title={t(query ? 'chat.nothingFound' : 'chat.noConversations')}>
            {t(query ? 'chat.noMatch' : 'chat.chatsAppearHere')}
          </EmptyState>
        ) : (
          conversations.data.conversations.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              active={conversation.id === activeId}
              onOpen={() => {
                navigate(`/chat/${conversation.id}`);
                onNavigate?.();
              }}
              onDeleted={() => {
                if (conversation.id === activeId) navigate('/chat');
              }}
            />
          ))
        )}
      </ScrollArea>
    </Stack>
  );
}

function ConversationItem({
  conversation,
  active,
  onOpen,
  onDeleted,
}: {
  conversation: ConversationSummary;
  active: boolean;
  onOpen(): void;
  onDeleted(): void;
}) {
  const { rename, remove } = useConversationActions();
  const { t, formatDate } = useI18n();
  const askRename = () => {
    let title = conversation.title;
    modals.openConfirmModal({
      title: t('chat.renameTitle'),
      children: (
        <TextInput
          aria-label={t('chat.newTitle')}
          defaultValue={conversation.title}
          maxLength={200}
          data-autofocus
          onChange={(event) => {
            title = event.currentTarget.value;
          }}
        />
      ),
      labels: { confirm: t('chat.rename'), cancel: t('common.cancel') },
      onConfirm: () => {
        if (title.trim()) rename.mutate({ id: conversation.id, title: title.trim() });
      },
    });
  };
  const askDelete = () =>
    modals.openConfirmModal({
      title: t('chat.deleteTitle'),
      children: <Text size="sm">{t('chat.deleteText', { title: conversation.title })}</Text>,
      labels: { confirm: t('chat.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(conversation.id, { onSuccess: onDeleted }),
    });

  return (
    <NavLink
      active={active}
      label={conversation.title}
      description={formatDate(conversation.updatedAt)}
      onClick={onOpen}
      data-testid="conversation-item"
      styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } }}
      rightSection={
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              variant="subtle"
              size="sm"
              component="span"
              role="button"
              tabIndex={0}
              aria-label={t('chat.actionsFor', { title: conversation.title })}
              onClick={(event) => event.stopPropagation()}
            >
              <IconDots size={14} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={askRename}>
              {t('chat.rename')}
            </Menu.Item>
            <Menu.Item
              leftSection={<IconDownload size={14} />}
              component="a"
              href={exportUrl(conversation.id, 'markdown')}
              download
            >
              {t('chat.exportMarkdown')}
            </Menu.Item>
            <Menu.Item
              leftSection={<IconDownload size={14} />}
              component="a"
              href={exportUrl(conversation.id, 'json')}
              download
            >
              {t('chat.exportJson')}
            </Menu.Item>
            <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={askDelete}>
              {t('chat.delete')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      }
    />
  );
}

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
        New chat
      </Button>
      <TextInput
        aria-label="Search conversations"
        placeholder="Search"
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
          <EmptyState title={query ? 'Nothing found' : 'No conversations yet'}>
            {query ? 'No title or message contains that text.' : 'Your chats appear here.'}
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
  const askRename = () => {
    let title = conversation.title;
    modals.openConfirmModal({
      title: 'Rename conversation',
      children: (
        <TextInput
          aria-label="New title"
          defaultValue={conversation.title}
          maxLength={200}
          data-autofocus
          onChange={(event) => {
            title = event.currentTarget.value;
          }}
        />
      ),
      labels: { confirm: 'Rename', cancel: 'Cancel' },
      onConfirm: () => {
        if (title.trim()) rename.mutate({ id: conversation.id, title: title.trim() });
      },
    });
  };
  const askDelete = () =>
    modals.openConfirmModal({
      title: 'Delete this conversation?',
      children: <Text size="sm">“{conversation.title}” and all its messages are deleted for good.</Text>,
      labels: { confirm: 'Delete', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => remove.mutate(conversation.id, { onSuccess: onDeleted }),
    });

  return (
    <NavLink
      active={active}
      label={conversation.title}
      description={new Date(conversation.updatedAt).toLocaleDateString()}
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
              aria-label={`Actions for ${conversation.title}`}
              onClick={(event) => event.stopPropagation()}
            >
              <IconDots size={14} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={askRename}>
              Rename
            </Menu.Item>
            <Menu.Item
              leftSection={<IconDownload size={14} />}
              component="a"
              href={exportUrl(conversation.id, 'markdown')}
              download
            >
              Export as Markdown
            </Menu.Item>
            <Menu.Item
              leftSection={<IconDownload size={14} />}
              component="a"
              href={exportUrl(conversation.id, 'json')}
              download
            >
              Export as JSON
            </Menu.Item>
            <Menu.Item leftSection={<IconTrash size={14} />} color="red" onClick={askDelete}>
              Delete
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      }
    />
  );
}

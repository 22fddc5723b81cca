import { Box, Stack } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { StoredMessage } from '../../api/conversations';
import type { BranchMessage } from './conversation-tree';
import { type MessageActions, MessageView } from './message-view';

interface MessageListProps {
  branch: BranchMessage[];
  busy: boolean;
  /** The id of the message being streamed, which follows the bottom while it grows. */
  streamingId: string | null;
  actions: MessageActions;
}

/**
 * The shown branch, virtualised: only the messages in view are in the DOM, so a conversation of
 * thousands of messages scrolls as smoothly as a short one. Sticks to the bottom while an answer
 * streams, unless the reader scrolled up.
 */
export function MessageList({ branch, busy, streamingId, actions }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: branch.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (index) => branch[index]!.message.id,
  });

  const lastText = branch.at(-1)?.message.content.text;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the content as it grows
  useEffect(() => {
    if (stickToBottom.current && branch.length > 0)
      virtualizer.scrollToIndex(branch.length - 1, { align: 'end' });
  }, [branch.length, lastText, virtualizer]);

  const byId = new Map<string, StoredMessage>(branch.map(({ message }) => [message.id, message]));

  return (
    <Box
      ref={scroller}
      style={{ flex: 1, overflowY: 'auto', overflowX: 'hidden' }}
      data-testid="message-list"
      onScroll={(event) => {
        const element = event.currentTarget;
        stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { message, siblings } = branch[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${item.start}px)`,
              }}
            >
              <Stack py={6} px={{ base: 0, sm: 'xs' }}>
                <MessageView
                  message={message}
                  siblings={siblings}
                  parent={message.parentId ? byId.get(message.parentId) : undefined}
                  busy={busy}
                  streaming={message.id === streamingId}
                  actions={actions}
                />
              </Stack>
            </div>
          );
        })}
      </div>
    </Box>
  );
}

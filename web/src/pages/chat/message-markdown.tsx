import { Code, Table, Typography } from '@mantine/core';
import { lazy, memo, Suspense } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { useT } from '../../i18n';

// Highlighting is a third of the chat page's code: it loads when the first code block appears.
const CodeBlock = lazy(() => import('./code-block'));

const components: Components = {
  code({ className, children }) {
    const text = String(children ?? '');
    const language = /language-([\w+#-]+)/.exec(className ?? '')?.[1];
    // Fenced blocks carry a language class or span lines; everything else is inline code.
    if (!language && !text.includes('\n')) return <Code>{text}</Code>;
    const code = text.replace(/\n$/, '');
    return (
      <Suspense
        fallback={
          <Code block my="xs">
            {code}
          </Code>
        }
      >
        <CodeBlock code={code} language={language} />
      </Suspense>
    );
  },
  // The code block renders its own <pre>.
  pre: ({ children }) => <>{children}</>,
  table: ({ children }) => (
    <Table.ScrollContainer minWidth={400}>
      <Table withTableBorder withColumnBorders>
        {children}
      </Table>
    </Table.ScrollContainer>
  ),
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  // A model's output must not load images from anywhere on its own (tracking, data exfiltration).
  img: ({ alt, src }) => <BlockedImage name={alt || src || ''} />,
};

function BlockedImage({ name }: { name: string }) {
  const t = useT();
  return <span>{t('chat.imagePlaceholder', { name })}</span>;
}

/** A message rendered as GitHub-flavoured Markdown with highlighted, copyable code blocks. */
export const MessageMarkdown = memo(function MessageMarkdown({ text }: { text: string }) {
  return (
    <Typography style={{ overflowWrap: 'anywhere' }}>
      <Markdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </Markdown>
    </Typography>
  );
});

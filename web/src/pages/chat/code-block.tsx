import '@mantine/code-highlight/styles.css';
import { CodeHighlight, CodeHighlightAdapterProvider } from '@mantine/code-highlight';
import { useT } from '../../i18n';
import { highlightAdapter, knownLanguage } from './highlight';

/** A highlighted, copyable code block; its own chunk, loaded when a message first shows code. */
export default function CodeBlock({ code, language }: { code: string; language: string | undefined }) {
  const t = useT();
  return (
    <CodeHighlightAdapterProvider adapter={highlightAdapter}>
      <CodeHighlight
        code={code}
        language={knownLanguage(language)}
        withCopyButton
        copyLabel={t('chat.copyCode')}
        copiedLabel={t('chat.copied')}
        radius="sm"
        my="xs"
      />
    </CodeHighlightAdapterProvider>
  );
}

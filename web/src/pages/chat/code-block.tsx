import '@mantine/code-highlight/styles.css';
import { CodeHighlight, CodeHighlightAdapterProvider } from '@mantine/code-highlight';
import { highlightAdapter, knownLanguage } from './highlight';

/** A highlighted, copyable code block; its own chunk, loaded when a message first shows code. */
export default function CodeBlock({ code, language }: { code: string; language: string | undefined }) {
  return (
    <CodeHighlightAdapterProvider adapter={highlightAdapter}>
      <CodeHighlight
        code={code}
        language={knownLanguage(language)}
        withCopyButton
        copyLabel="Copy code"
        copiedLabel="Copied"
        radius="sm"
        my="xs"
      />
    </CodeHighlightAdapterProvider>
  );
}

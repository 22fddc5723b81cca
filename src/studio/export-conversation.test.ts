import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageRow } from './conversation-tree.js';
import { contentDisposition, filenameStem, toMarkdown } from './export-conversation.js';

function message(fields: Partial<MessageRow>): MessageRow {
  return {
    id: randomUUID(),
    conversationId: randomUUID(),
    parentId: null,
    role: 'user',
    content: { text: '' },
    model: null,
    generationId: null,
    cost: null,
    sequence: 0,
    status: 'complete',
    error: null,
    createdAt: new Date(0),
    ...fields,
  };
}

describe('export', () => {
  it('names the file after the title in safe characters, and the title itself in UTF-8', () => {
    expect(filenameStem('Crème brûlée: 3 ways!')).toBe('Creme-brulee-3-ways');
    expect(filenameStem('???')).toBe('conversation');
    expect(filenameStem('a'.repeat(100))).toHaveLength(80);
    expect(contentDisposition('Creme-brulee.md', "Crème brûlée (Mum's)")).toBe(
      `attachment; filename="Creme-brulee.md"; filename*=UTF-8''Cr%C3%A8me%20br%C3%BBl%C3%A9e%20%28Mum%27s%29.md`,
    );
  });

  it('writes files in a fence no line of theirs can close, names images, and says how an answer ended', () => {
    const markdown = toMarkdown(
      'Code',
      [
        message({
          content: {
            text: 'Check this',
            attachments: [
              { kind: 'file', name: 'a.md', mediaType: 'text/markdown', text: '````\nnot the end' },
              { kind: 'image', name: 'shot.png', mediaType: 'image/png', dataUrl: 'data:image/png;base64,' },
            ],
          },
        }),
        message({
          role: 'assistant',
          content: { text: 'Partial' },
          model: 'openai/gpt-4o-mini',
          cost: 1_500n,
          status: 'interrupted',
          error: "The provider's stream broke off (interrupted)",
        }),
        message({ role: 'assistant', content: { text: '' }, status: 'failed', error: 'Not enough credit' }),
      ],
      'EUR',
    );
    expect(markdown).toBe(
      `${[
        '# Code',
        '### **You**',
        'Check this',
        '_File: a.md_\n\n`````\n````\nnot the end\n`````',
        '_Image: shot.png_',
        '### **Assistant** (openai/gpt-4o-mini, 0.001500 EUR)',
        'Partial',
        "_(the provider broke off: The provider's stream broke off (interrupted))_",
        '### **Assistant**',
        '_(no answer: Not enough credit)_',
      ].join('\n\n')}\n`,
    );
  });
});

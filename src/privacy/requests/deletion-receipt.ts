/**
 * The deletion receipt (PDF): for each category of data, what the erasure deleted, pseudonymised
 * or kept, how many rows and files, and why. Rendered from the receipt stored with the request, so
 * staff download the same document the user was mailed. It names the account only by its id: no
 * name, no e-mail address, nothing the erasure removed.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { Config } from '../../config.js';
import type { StoredErasureReceipt } from '../../db/schema/index.js';
import type { PrivacyRequest } from './request-kinds.js';

export interface ReceiptInput {
  operatorName: string;
  operatorAddress: string;
  requestId: string;
  userId: string;
  receivedAt: Date;
  verifiedAt: Date | null;
  verification: string | null;
  erasedAt: Date;
  receipt: StoredErasureReceipt;
}

const ACTION_LABELS = { deleted: 'Deleted', pseudonymised: 'Pseudonymised', kept: 'Kept' } as const;
const PAGE = { width: 595.28, height: 841.89, margin: 56 } as const;

/** Lays text out top to bottom, wrapping lines and starting pages as needed. */
class Writer {
  private page: PDFPage;
  private y: number = PAGE.height - PAGE.margin;
  private readonly characters: Set<number>;

  constructor(
    private readonly document: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = document.addPage([PAGE.width, PAGE.height]);
    this.characters = new Set(font.getCharacterSet());
  }

  /** The standard fonts cover Windows-1252 only; anything else prints as "?". */
  private printable(text: string): string {
    return [...text.replace(/\s+/g, ' ')]
      .map((character) => (this.characters.has(character.codePointAt(0)!) ? character : '?'))
      .join('');
  }

  text(
    text: string,
    options: { size?: number; bold?: boolean; gapAfter?: number; grey?: boolean } = {},
  ): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.font;
    const width = PAGE.width - 2 * PAGE.margin;
    let line = '';
    const lines: string[] = [];
    for (const word of this.printable(text).split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (line !== '' && font.widthOfTextAtSize(candidate, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
    for (const item of lines) {
      if (this.y - size < PAGE.margin) {
        this.page = this.document.addPage([PAGE.width, PAGE.height]);
        this.y = PAGE.height - PAGE.margin;
      }
      this.y -= size * 1.3;
      this.page.drawText(item, {
        x: PAGE.margin,
        y: this.y,
        size,
        font,
        color: options.grey ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0),
      });
    }
    this.y -= options.gapAfter ?? 4;
  }
}

export async function renderDeletionReceipt(input: ReceiptInput): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.setTitle('Deletion receipt');
  document.setAuthor(input.operatorName);
  document.setCreator('Mixgate');
  document.setProducer('Mixgate');
  document.setCreationDate(input.erasedAt);
  document.setModificationDate(input.erasedAt);
  const writer = new Writer(
    document,
    await document.embedFont(StandardFonts.Helvetica),
    await document.embedFont(StandardFonts.HelveticaBold),
  );
  writer.text('Deletion receipt', { size: 18, bold: true, gapAfter: 6 });
  writer.text(`${input.operatorName}, ${input.operatorAddress}`, { grey: true, gapAfter: 12 });
  writer.text(`Erasure request ${input.requestId} (GDPR Art. 17)`, { bold: true });
  writer.text(`Account (by its id only): ${input.userId}`);
  writer.text(`Received: ${input.receivedAt.toISOString()}`);
  if (input.verifiedAt) {
    const how =
      input.verification === 'email_link' ? 'a link mailed to the account' : "the account's password";
    writer.text(`Identity verified: ${input.verifiedAt.toISOString()}, by ${how}`);
  }
  writer.text(`Erasure carried out: ${input.erasedAt.toISOString()}`, { gapAfter: 6 });
  writer.text(`Counts as found when the erasure started (${input.receipt.countedAt}).`, {
    grey: true,
    gapAfter: 12,
  });

  for (const line of input.receipt.categories) {
    writer.text(`${line.name}: ${ACTION_LABELS[line.action]}`, { size: 11, bold: true, gapAfter: 2 });
    // Folders end with "/" (studio/, mail/); the other places are tables.
    const counts = [
      ...(line.tables.some((place) => !place.endsWith('/')) ? [`${line.rows} record(s)`] : []),
      ...(line.tables.some((place) => place.endsWith('/')) ? [`${line.files} file(s)`] : []),
    ];
    writer.text(`${counts.join(', ')} in ${line.tables.join(', ')}.`, { grey: true, gapAfter: 2 });
    writer.text(line.why, { gapAfter: 10 });
  }
  writer.text(
    'Data kept for a legal obligation is deleted when its period ends. This receipt names the account by its id only; the account itself keeps no name or e-mail address.',
    { grey: true, size: 9 },
  );
  return Buffer.from(await document.save());
}

/** The receipt of an erasure request, as mailed and as staff download it. */
export function receiptPdf(
  config: Pick<Config, 'OPERATOR_NAME' | 'OPERATOR_ADDRESS'>,
  request: PrivacyRequest,
  receipt: StoredErasureReceipt,
  erasedAt: Date,
): Promise<Buffer> {
  return renderDeletionReceipt({
    operatorName: config.OPERATOR_NAME,
    operatorAddress: config.OPERATOR_ADDRESS,
    requestId: request.id,
    userId: request.userId,
    receivedAt: request.receivedAt,
    verifiedAt: request.verifiedAt,
    verification: request.verification,
    erasedAt,
    receipt,
  });
}

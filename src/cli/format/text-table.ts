/** One column of a {@link renderTextTable}. */
export interface TextColumn {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. @default - no limit */
  readonly maxWidth?: number;
}

/** Cuts `text` to `width` characters, ending with "…" when it was longer. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Splits `text` into lines of at most `width` characters at spaces; a word longer than `width`
 * is split where the width ends. Joining the lines with single spaces gives back the text with
 * its runs of spaces collapsed.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/ +/).filter((w) => w !== '')) {
    while (word.length > width) {
      if (line !== '') lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * A plain-text table: header, a dashed rule, rows; columns separated by two spaces, no trailing
 * spaces. Column widths fit the longest cell (capped by `maxWidth`).
 */
export function renderTextTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((c, i) => (c.maxWidth ? truncate(row[i] ?? '', c.maxWidth) : (row[i] ?? ''))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

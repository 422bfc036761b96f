/**
 * The notice and the statement are plain text typed by a super-admin, shown as a page: a blank line
 * starts a paragraph, a line "## Title" is a heading, lines starting with "- " make a list. Blocks
 * carry text only; the template escapes it, so nothing typed can become markup.
 */
export type TextBlock = { kind: 'heading'; text: string } | { kind: 'paragraph'; lines: string[] } | { kind: 'list'; items: string[] };

export function textBlocks(source: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const chunk of source.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    let paragraph: string[] = [];
    let items: string[] = [];
    const flush = () => {
      if (paragraph.length > 0) blocks.push({ kind: 'paragraph', lines: paragraph });
      if (items.length > 0) blocks.push({ kind: 'list', items });
      paragraph = [];
      items = [];
    };
    for (const line of lines) {
      if (line.startsWith('## ')) {
        flush();
        blocks.push({ kind: 'heading', text: line.slice(3).trim() });
      } else if (line.startsWith('- ')) {
        if (paragraph.length > 0) flush();
        items.push(line.slice(2).trim());
      } else {
        if (items.length > 0) flush();
        paragraph.push(line);
      }
    }
    flush();
  }
  return blocks;
}

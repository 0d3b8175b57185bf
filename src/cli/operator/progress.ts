/** A one-line progress bar on a terminal; plain lines when the output is a file or a pipe. */
export class ProgressBar {
  private lastLine = '';

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(label: string, done: number, total: number | null): void {
    const width = 30;
    const share = total && total > 0 ? Math.min(1, done / total) : null;
    const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.round(share * 100)}% `;
    const line = `${label.padEnd(12)} ${bar}${done.toLocaleString('ru-RU')}${total ? ` / ${total.toLocaleString('ru-RU')}` : ''}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.padEnd(this.lastLine.length)}`);
    } else if (line.split(' ')[0] !== this.lastLine.split(' ')[0]) {
      this.stream.write(`${line}\n`); // in logs: one line per stage
    }
    this.lastLine = line;
  }

  done(): void {
    if (this.stream.isTTY && this.lastLine) this.stream.write('\n');
    this.lastLine = '';
  }
}

/** A fixed-width text table for the terminal. */
export function table(headers: string[], rows: (string | number | null)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.min(60, Math.max(...cells.map((r) => (r[i] ?? '').length))));
  const fit = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const line = (r: string[]) => r.map((c, i) => fit(c, widths[i])).join(' │ ');
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.slice(1).map(line)].join('\n');
}

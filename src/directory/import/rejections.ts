/** A line of the file that will not be imported, with every reason found for it. */
export interface RejectedLine {
  line: number;
  reasons: string[];
}

/** Gathers the reasons line by line, whichever check finds them, so that a line is listed once. */
export class Rejections {
  private readonly byLine = new Map<number, string[]>();

  add(line: number, reason: string): void {
    const reasons = this.byLine.get(line);
    if (reasons) reasons.push(reason);
    else this.byLine.set(line, [reason]);
  }

  has(line: number): boolean {
    return this.byLine.has(line);
  }

  get size(): number {
    return this.byLine.size;
  }

  list(): RejectedLine[] {
    return [...this.byLine.entries()].sort(([a], [b]) => a - b).map(([line, reasons]) => ({ line, reasons }));
  }
}

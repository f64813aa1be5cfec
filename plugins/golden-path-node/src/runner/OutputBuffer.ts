/**
 * Keeps at most `limit` bytes of a stream in memory: the head and the tail,
 * with a marker saying how much was cut in between.
 */
export class OutputBuffer {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private cut = 0;

  constructor(private readonly limit: number) {}

  push(data: Buffer): void {
    const half = Math.floor(this.limit / 2);
    let chunk = data;
    if (this.headSize < half) {
      const take = chunk.subarray(0, half - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (!chunk.length) return;
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize > this.limit - half && this.tail.length) {
      const excess = this.tailSize - (this.limit - half);
      const first = this.tail[0];
      if (first.length <= excess) {
        this.tail.shift();
        this.tailSize -= first.length;
        this.cut += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailSize -= excess;
        this.cut += excess;
      }
    }
  }

  /** Bytes dropped from the middle. */
  get bytesCut(): number {
    return this.cut;
  }

  toString(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return this.cut
      ? `${head}\n… ${this.cut} bytes cut …\n${tail}`
      : head + tail;
  }
}

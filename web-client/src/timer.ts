/** A restartable one-shot timer, so that each deadline of the connection has one named owner. */
export class Timer {
  private handle: ReturnType<typeof setTimeout> | undefined;

  start(delayMs: number, fire: () => void): void {
    this.clear();
    this.handle = setTimeout(() => {
      this.handle = undefined;
      fire();
    }, delayMs);
  }

  clear(): void {
    if (this.handle !== undefined) {
      clearTimeout(this.handle);
      this.handle = undefined;
    }
  }

  get pending(): boolean {
    return this.handle !== undefined;
  }
}

/** Things the demo started, stopped in reverse order exactly once. */
export class Cleanup {
  readonly #steps: Array<() => Promise<void>> = [];
  #running: Promise<void> | undefined;

  /** True once stopping began, e.g. on Ctrl-C: later failures are noise. */
  get stopping(): boolean {
    return this.#running !== undefined;
  }

  add(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  run(): Promise<void> {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll(): Promise<void> {
    for (const step of this.#steps.reverse()) {
      await step().catch((error: unknown) => {
        console.error('cleanup step failed:', error);
      });
    }
  }
}

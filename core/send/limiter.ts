/**
 * Bounded concurrency for sends: a burst of messages or items must not open a burst of
 * connections to the gateway (which may rate-limit or ban the number). Tasks run at most `max` at
 * once, the rest in arrival order.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<{ run: () => Promise<void>; drop: () => void }> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** `drop` is called instead of `run` when the limiter is closed before the task's turn. */
  add(run: () => Promise<void>, drop: () => void): void {
    if (this.active < this.max) this.start(run);
    else this.waiting.push({ run, drop });
  }

  private start(run: () => Promise<void>): void {
    this.active++;
    run()
      .catch(() => undefined)
      .finally(() => {
        this.active--;
        const next = this.waiting.shift();
        if (next) this.start(next.run);
        else if (this.active === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
  }

  /** Drops the waiting tasks; resolves when the running ones have finished. */
  close(): Promise<void> {
    this.waiting.splice(0).forEach((task) => task.drop());
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  /**
   * Runs `task` over the items through a limiter of `max`, results in item order. After a failure
   * no further item starts; the ones under way finish, then the first failure is thrown.
   */
  static async map<T, R>(items: readonly T[], max: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const limiter = new Limiter(max);
    const results: R[] = new Array(items.length);
    const failures: unknown[] = [];
    const settled = items.map(
      (item, index) =>
        new Promise<void>((resolve) =>
          limiter.add(async () => {
            try {
              results[index] = await task(item, index);
            } catch (error) {
              failures.push(error);
              // The ones still waiting are dropped: after a failure no further item starts.
              void limiter.close();
            } finally {
              resolve();
            }
          }, resolve),
        ),
    );
    await Promise.all(settled);
    if (failures.length > 0) throw failures[0];
    return results;
  }
}

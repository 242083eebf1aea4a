/**
 * Runs queued actions together, in order, once the current turn of the event loop has handled
 * its I/O (`setImmediate`). nats.js writes to its socket once per microtask checkpoint, so
 * replies and requests made by handlers resuming at different points of a turn would each cost
 * a write system call and a wakeup of the server; sent together they cost one. When idle, the
 * wait is one pass of the event loop.
 */
export class TurnQueue {
  #actions: Array<() => void> = [];
  #scheduled = false;

  /** Runs `action` with the turn's other actions; settles with its result. */
  defer<T>(action: () => T | PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#actions.push(() => {
        try {
          resolve(action());
        } catch (error) {
          reject(error);
        }
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs everything queued now (before an action that must not overtake them). */
  flush(): void {
    this.#scheduled = false;
    // Actions queued while flushing (none today) wait for the next turn rather than loop here.
    const actions = this.#actions;
    this.#actions = [];
    for (const action of actions) action();
  }

  get pending(): number {
    return this.#actions.length;
  }
}

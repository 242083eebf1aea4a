/**
 * Time as the budgeted code reads and spends it, passed in so that tests can run on a fake
 * clock: `now` in milliseconds (any origin, only differences count), `sleep` to wait.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The monotonic clock of this process (performance.now: not moved by NTP or the admin). */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

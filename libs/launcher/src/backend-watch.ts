/**
 * Readiness of the backends a process talks to, by a cheap periodic probe: every interval
 * each backend gets one round trip (Redis PING, PostgreSQL `SELECT 1`, a NATS flush) that
 * must answer within the probe timeout. A probe that fails or does not answer marks its
 * backend down with the cause; the next one that answers marks it up again, by itself. A probe
 * still waiting is never joined by another, so a stalled backend holds at most one probe.
 */
export interface BackendProbe {
  /** The readiness check it decides (`state`, `database`, `bus`). */
  readonly check: string;
  /** The backend, for the cause (`redis`, `postgresql`, `nats`). */
  readonly backend: string;
  run(timeoutMs: number): Promise<unknown>;
}

export interface BackendStatus {
  ok: boolean;
  /** Why it is down, e.g. `redis: no answer within 500 ms`; never a URL or a credential. */
  cause?: string;
}

export interface BackendWatchOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Hears every change (the launcher logs it). */
  onChange?(check: string, status: BackendStatus): void;
}

/** A failure's code, or the first line of its message, kept short. */
export function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code !== '') return e.code;
  if (typeof e?.message === 'string' && e.message !== '') return e.message.split('\n')[0]!.slice(0, 120);
  return 'failed';
}

export class BackendWatch {
  readonly #probes: BackendProbe[];
  readonly #options: BackendWatchOptions;
  readonly #status = new Map<string, BackendStatus>();
  readonly #waiting = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(probes: BackendProbe[], options: BackendWatchOptions) {
    this.#probes = probes;
    this.#options = options;
    // Every backend was just connected at start: up until a probe says otherwise.
    for (const probe of probes) this.#status.set(probe.check, { ok: true });
  }

  start(): void {
    if (this.#timer || this.#probes.length === 0) return;
    this.#timer = setInterval(() => void this.probeAll(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The status of each probed check (checks without a probe are absent). */
  status(): ReadonlyMap<string, BackendStatus> {
    return this.#status;
  }

  /** One round of probes; resolves once each has answered or timed out. */
  async probeAll(): Promise<void> {
    await Promise.all(this.#probes.map((probe) => this.#probe(probe)));
  }

  async #probe(probe: BackendProbe): Promise<void> {
    if (this.#waiting.has(probe.check)) {
      this.#set(probe.check, { ok: false, cause: `${probe.backend}: no answer within ${this.#options.timeoutMs} ms` });
      return;
    }
    this.#waiting.add(probe.check);
    const timeoutMs = this.#options.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const work = probe.run(timeoutMs);
    const settled = work.then(
      () => ({ ok: true }) as BackendStatus,
      (error: unknown) => ({ ok: false, cause: `${probe.backend}: ${describeFailure(error)}` }) as BackendStatus,
    );
    // The probe is waited for in the background even after its time is up (see the class comment).
    void settled.finally(() => this.#waiting.delete(probe.check));
    const late = new Promise<BackendStatus>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, cause: `${probe.backend}: no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    const status = await Promise.race([settled, late]);
    clearTimeout(timer);
    this.#set(probe.check, status);
  }

  #set(check: string, status: BackendStatus): void {
    const before = this.#status.get(check);
    this.#status.set(check, status);
    if (before?.ok !== status.ok || before?.cause !== status.cause) this.#options.onChange?.(check, status);
  }
}

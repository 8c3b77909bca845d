/**
 * Node's timers take at most 2^31 − 1 ms (~24.8 days); a longer delay fires after 1 ms instead (with only a
 * TimeoutOverflowWarning). `--timeout` × the cases of one child can exceed that (7 days × 4 cases).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimeout {
  clear(): void;
}

/**
 * setTimeout for any delay: waits in steps of at most MAX_TIMER_MS until the deadline, then calls `callback`
 * once. Delays within range are a single ordinary timer.
 */
export function setLongTimeout(callback: () => void, delayMs: number): LongTimeout {
  const deadline = performance.now() + delayMs;
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => arm(deadline - performance.now()), MAX_TIMER_MS)
        : setTimeout(callback, Math.max(0, left));
  };
  arm(delayMs);
  return {
    clear() {
      clearTimeout(timer);
    },
  };
}

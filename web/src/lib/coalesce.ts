/**
 * Wraps a reload so that calls arriving while one runs make one more run after it, not one each: a
 * burst of stream events costs two reads of the resource, and the last read sees the last event.
 */
export function coalesce(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    try {
      await load();
    } finally {
      if (again) {
        again = false;
        running = run();
        // Nobody awaits the follow-up: its failure is the load's to report, not an unhandled rejection.
        running.catch(() => {});
      } else running = null;
    }
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = run();
    return running;
  };
}

// The real worker entry, plus a message that makes it close() itself: a
// silent death (no error event), as terminate() is from the outside.
import '../../src/worker/worker-entry.js';

self.addEventListener('message', (e: MessageEvent) => {
  if ((e.data as { nexteditTestClose?: boolean } | null)?.nexteditTestClose) self.close();
});

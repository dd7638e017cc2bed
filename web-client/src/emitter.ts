export type Listener<T> = (event: T) => void;

/** A small typed event emitter: each event name maps to exactly one payload type. */
export class Emitter<Events extends object> {
  private readonly listeners: { [K in keyof Events]?: Set<Listener<Events[K]>> } = {};

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners[name];
    if (!set) {
      set = new Set();
      this.listeners[name] = set;
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.listeners[name];
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      // One broken listener (a page's rendering bug) must not break the connection's own bookkeeping.
      try {
        listener(event);
      } catch (error) {
        console.error(`listener for "${String(name)}" failed`, error);
      }
    }
  }
}

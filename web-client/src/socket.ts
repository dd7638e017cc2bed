/**
 * The slice of a WebSocket the connection uses. A factory wires the callbacks, so tests can hand in a fake
 * socket and the connection can ignore a stale socket's late events by dropping its handlers.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHandlers {
  open(): void;
  message(data: string | ArrayBuffer): void;
  close(code: number, reason: string): void;
  error(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export const socketOpen = 1;

export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => handlers.open();
  socket.onmessage = (event: MessageEvent<unknown>) => {
    if (typeof event.data === "string" || event.data instanceof ArrayBuffer) {
      handlers.message(event.data);
    }
  };
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  socket.onerror = () => handlers.error();
  return socket;
};

/** Where "online" and page visibility come from; absent outside a browser. */
export interface Environment {
  network?: EventTarget;
  visibility?: { target: EventTarget; isVisible(): boolean };
}

export function browserEnvironment(): Environment {
  return {
    network: typeof window === "undefined" ? undefined : window,
    visibility:
      typeof document === "undefined"
        ? undefined
        : { target: document, isVisible: () => document.visibilityState === "visible" },
  };
}

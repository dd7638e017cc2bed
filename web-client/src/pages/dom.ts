/** Finds a required element of the page, failing loudly if the HTML and the script disagree. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; readonly name: string }): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) {
    throw new Error(`#${id} is missing or is not a ${kind.name}`);
  }
  return element;
}

/** Creates an element whose text is set with textContent: user data never goes through innerHTML. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * Shows a message in an error area, or hides the area when the message is empty. A "hint" (a form left
 * incomplete) is cleared by the next valid action; a "problem" (why the client stopped) stays until the
 * next connect.
 */
export function showError(area: HTMLElement, message: string, kind: "problem" | "hint" = "problem"): void {
  area.textContent = message;
  area.dataset.kind = kind;
  area.hidden = message === "";
}

export function clearHint(area: HTMLElement): void {
  if (area.dataset.kind === "hint") {
    showError(area, "");
  }
}

/**
 * My messages to one person that a `read` receipt for `id` marks read: that message and every earlier one
 * (docs/protocol.md, Client to server: `read` is cumulative within the conversation since 1.1; the server sends one
 * receipt, for the id named). `mine` is in conversation order; entries without an id (not acked yet, or failed) are
 * never marked. Empty when `id` is not among them (its receipt overtook the message: kept until it is shown).
 */
export function readThrough<T extends { id: string | undefined }>(mine: readonly T[], id: string): T[] {
  const index = mine.findIndex((entry) => entry.id === id);
  return index < 0 ? [] : mine.slice(0, index + 1).filter((entry) => entry.id !== undefined);
}

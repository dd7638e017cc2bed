import { fileTooBigText, textTooBigText } from "./labels.js";

/** Longer than any ref the client makes (tab prefix, time, counter): the check errs on the safe side. */
const refPlaceholder = "r".repeat(32);
const encoder = new TextEncoder();

/**
 * Why this text cannot be sent, or "" when it can. The server's `max-text-bytes` counts the whole text frame in UTF-8
 * (PROTOCOL.md "Configuration keys"), so this measures the frame the client would write, not the characters typed.
 */
export function textProblem(to: string, text: string, maxTextBytes: number): string {
  const frame = JSON.stringify({ type: "send", ref: refPlaceholder, to, channel: "chat", text });
  const bytes = encoder.encode(frame).length;
  return bytes > maxTextBytes ? textTooBigText(bytes, maxTextBytes) : "";
}

/** Why this file cannot be sent, or "": `max-binary-bytes` is the payload alone, header not counted. */
export function fileProblem(name: string, size: number, maxBinaryBytes: number): string {
  return size > maxBinaryBytes ? fileTooBigText(name, size, maxBinaryBytes) : "";
}

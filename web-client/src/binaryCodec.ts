import { type JsonRecord, parseJsonRecord } from "./json.js";

/**
 * Binary frames (docs/protocol.md, "Binary frames"):
 * [4-byte big-endian header length L][L bytes of UTF-8 JSON][payload].
 * Pure functions, no socket: the connection hands over ArrayBuffers.
 */

export class CodecError extends Error {
  override readonly name = "CodecError";
}

export interface DecodedFrame {
  header: JsonRecord;
  payload: Uint8Array;
}

const lengthBytes = 4;

export function encodeBinaryFrame(header: JsonRecord, payload: Uint8Array): ArrayBuffer {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(lengthBytes + headerBytes.length + payload.length);
  new DataView(out.buffer).setUint32(0, headerBytes.length, false);
  out.set(headerBytes, lengthBytes);
  out.set(payload, lengthBytes + headerBytes.length);
  return out.buffer;
}

export function decodeBinaryFrame(frame: ArrayBuffer | Uint8Array): DecodedFrame {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < lengthBytes) {
    throw new CodecError(`binary frame of ${bytes.length} bytes has no header length`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  const headerEnd = lengthBytes + headerLength;
  if (headerEnd > bytes.length) {
    throw new CodecError(`header length ${headerLength} runs past the ${bytes.length}-byte frame`);
  }
  let headerText: string;
  try {
    headerText = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(lengthBytes, headerEnd));
  } catch {
    throw new CodecError("header is not valid UTF-8");
  }
  const header = parseJsonRecord(headerText);
  if (!header) {
    throw new CodecError("header is not a JSON object");
  }
  // A copy, so the payload does not pin (or alias) the whole frame buffer.
  return { header, payload: bytes.slice(headerEnd) };
}

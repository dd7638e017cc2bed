package com.matchbook.realtime.protocol;

/**
 * Close reasons that fit a close frame. RFC 6455 section 5.5 limits a control frame's payload to 125 bytes, two of
 * them for the code, and section 5.5.1 requires the reason to be valid UTF-8; so a longer reason is cut to
 * {@link CloseCodes#MAX_REASON_BYTES} bytes at a character boundary, never inside a multi-byte sequence or between the
 * two halves of a surrogate pair.
 */
public final class CloseReasons {
    private CloseReasons() {
    }

    /** {@code reason} itself when its UTF-8 form fits 123 bytes, else its longest prefix of whole characters that does. */
    public static String truncate(String reason) {
        if (Utf8.length(reason) <= CloseCodes.MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int codePoint = reason.codePointAt(end);
            int size = Utf8.length(codePoint);
            if (bytes + size > CloseCodes.MAX_REASON_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return reason.substring(0, end);
    }
}

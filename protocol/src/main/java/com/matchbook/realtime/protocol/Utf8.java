package com.matchbook.realtime.protocol;

/**
 * UTF-8 sizes without encoding (RFC 3629 section 3): the contract's limits are in bytes, and checking them must not
 * allocate a copy of the text.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Bytes of {@code s} in UTF-8; an unpaired surrogate counts 3, as the replacement character it would become. */
    public static long length(CharSequence s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Bytes of one code point in UTF-8: 1 to 4. */
    public static int length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}

package com.matchbook.bench;

import java.util.Random;

/**
 * Texts like people's chat lines, for measuring compression on what a chat service carries (not on the other
 * scenarios' 100-byte marker texts, whose run of {@code x} would flatter deflate). Each line is built from everyday
 * phrases until it reaches a length drawn evenly from {@link #MIN_CHARS}-{@link #MAX_CHARS}; the same seed gives the
 * same lines. About 80 phrases repeat more than people do: a compressor that keeps its context across messages
 * gains more on these than on real chat, so figures with client context takeover are a best case. Plain ASCII
 * without quotes or backslashes, so a line goes into a JSON string as it is.
 */
final class ChatLines {
    static final int MIN_CHARS = 20;
    static final int MAX_CHARS = 200;

    private static final String[] PHRASES = {
        "hey, are you around", "just got out of the meeting", "can you send me the slides from yesterday",
        "sounds good to me", "I'll be there in ten minutes", "traffic is terrible today",
        "did you see the game last night", "no worries, take your time", "let's move the call to 3pm if that works",
        "I pushed the fix, can you have a look when you get a chance", "thanks a lot", "what time is dinner on friday",
        "the build is green again", "ok", "running a bit late, start without me", "happy birthday, have a great day",
        "can we talk about the budget numbers tomorrow morning", "I think the second option is better",
        "it's cheaper and we could ship it sooner", "haha yes exactly", "where did you park",
        "the train is delayed again, twenty minutes this time", "do you want coffee, I'm going down now",
        "I'm not sure, let me check with Anna first", "the client moved the deadline to next Tuesday",
        "great news", "call me when you land", "who has the keys to the storage room",
        "I left my charger at your place", "the numbers for March look much better than we expected",
        "see you tomorrow", "can you pick up some milk on the way home", "the kids are asleep finally",
        "I'll send the invoice tonight", "does anyone know if the office is open on Monday",
        "that restaurant on the corner closed down", "sorry, missed your call", "on my way",
        "we should plan the trip before the prices go up", "the test failed on the staging server again",
        "I booked the room for Thursday at 10", "good luck with the interview", "my phone is almost dead",
        "which version did you deploy", "mum says hi", "the printer on the second floor is jammed again",
        "could you forward me that email", "I'm starving, lunch at 12:30", "no idea, never been there",
        "the weather looks awful for the weekend", "she said yes", "I'll bring the cake if you bring the drinks",
        "we lost 2-1 in the last minute", "please don't forget the dentist at four",
        "the landlord finally fixed the heating", "I can't open the shared folder, do I need access",
        "send me the address", "any updates on the hiring plan", "my flight got cancelled, rebooking now",
        "nice photo", "the cat knocked my coffee onto the keyboard", "is the meeting still on",
        "I'm working from home today", "we need two more chairs for the party", "just finished the report",
        "let me know what you think", "the new release fixed the login bug", "how was the concert",
        "can we split the bill", "the bus driver waited for me, what a hero", "brb", "sure, no problem",
        "I'll ask Tom, he knows the supplier", "that sounds expensive", "happy new year everyone"};
    private static final String[] JOINERS = {". ", ", ", "! ", "? ", " and ", " - "};

    private ChatLines() {
    }

    /** @return {@code count} lines of {@value #MIN_CHARS}-{@value #MAX_CHARS} characters */
    static String[] generate(int count, long seed) {
        Random r = new Random(seed);
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            int target = MIN_CHARS + r.nextInt(MAX_CHARS - MIN_CHARS + 1);
            StringBuilder s = new StringBuilder(capitalised(PHRASES[r.nextInt(PHRASES.length)]));
            while (s.length() < target) {
                s.append(JOINERS[r.nextInt(JOINERS.length)]).append(PHRASES[r.nextInt(PHRASES.length)]);
            }
            if (s.length() > MAX_CHARS) {
                int cut = s.lastIndexOf(" ", MAX_CHARS);
                s.setLength(cut >= MIN_CHARS ? cut : MAX_CHARS);
            }
            lines[i] = s.toString();
        }
        return lines;
    }

    private static String capitalised(String phrase) {
        return Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1);
    }
}

package io.sluice.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the allowed key an unknown one was probably meant to be. */
final class DidYouMean {

    /** Beyond two edits a suggestion is more often noise than help. */
    private static final int MAX_DISTANCE = 2;

    /** A one-letter key is a prefix of too many names to suggest any of them. */
    private static final int MIN_PREFIX = 3;

    private DidYouMean() {}

    /**
     * The closest candidate within {@value #MAX_DISTANCE} edits, or one that the typed key abbreviates or
     * extends; ties go to the earlier candidate so the hint is stable.
     */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(t, c);
            boolean prefix = Math.min(t.length(), c.length()) >= MIN_PREFIX && (c.startsWith(t) || t.startsWith(c));
            if (distance > MAX_DISTANCE && !prefix) {
                continue;
            }
            // A near-miss spelling beats a prefix match: "backlogg" is a typo of "backlog", not an extension.
            int score = distance <= MAX_DISTANCE ? distance : MAX_DISTANCE + Math.abs(t.length() - c.length());
            if (score < bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package fun.ai.studio.deploy.shared;

/** Text helpers the stores need. */
public final class Texts {

    private Texts() {
    }

    /**
     * At most {@code maxChars} characters of {@code text} (null stays null), never ending in half of a surrogate
     * pair (an emoji in a build log): that is not valid text in JSON or in MySQL's utf8mb4.
     */
    public static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars);
    }
}

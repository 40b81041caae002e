package fun.ai.studio.deploy.persistence.schema;

/**
 * One row of the earlier service's tables that this service cannot adopt as it is.
 *
 * @param table   the table holding it
 * @param column  the key column naming it
 * @param key     the key's value as an SQL literal
 * @param problem what does not fit, in words an operator can act on
 * @param inspect the SQL that shows every row refused for the same reason
 */
record Misfit(String table, String column, String key, String problem, String inspect) {

    private static final int SHOWN_CHARACTERS = 80;

    @Override
    public String toString() {
        return table + " " + column + "=" + key + ": " + problem;
    }

    /**
     * {@code value} as an SQL string literal an operator can paste: quotes doubled, and anything outside printable
     * ASCII written as {@code \\uXXXX} (so a control character cannot forge a log line), cut after 80 characters.
     */
    static String quote(String value) {
        StringBuilder literal = new StringBuilder("'");
        int shown = Math.min(value.length(), SHOWN_CHARACTERS);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c == '\'') {
                literal.append("''");
            } else if (c < 0x20 || c > 0x7e) {
                literal.append(String.format("\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        literal.append('\'');
        return shown < value.length() ? literal + "... (" + value.length() + " characters)" : literal.toString();
    }
}

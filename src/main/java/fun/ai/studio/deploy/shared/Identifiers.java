package fun.ai.studio.deploy.shared;

import java.util.regex.Pattern;

/** The identifier rules of the wire contract, shared by request validation and path/query checks. */
public final class Identifiers {

    public static final String NODE_NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public static final String NODE_NAME_RULE = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";
    public static final String APP_ID_REGEX = "[A-Za-z0-9._:-]{1,128}";
    public static final String APP_ID_RULE = "1-128 characters of A-Z a-z 0-9 . _ : -";

    private static final Pattern NODE_NAME = Pattern.compile(NODE_NAME_REGEX);
    private static final Pattern APP_ID = Pattern.compile(APP_ID_REGEX);

    private Identifiers() {
    }

    public static String requireNodeName(String value, String parameter) {
        if (value == null || !NODE_NAME.matcher(value).matches()) {
            throw new InvalidRequestException(parameter + " must be " + NODE_NAME_RULE);
        }
        return value;
    }

    public static String requireAppId(String value, String parameter) {
        if (value == null || !APP_ID.matcher(value).matches()) {
            throw new InvalidRequestException(parameter + " must be " + APP_ID_RULE);
        }
        return value;
    }
}

package fun.ai.studio.deploy.shared;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** An absolute http or https URL with a host, at most 512 characters. Null is left to {@code @NotNull}. */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HttpUrl.Validator.class)
public @interface HttpUrl {

    String message() default "must be an absolute http or https URL with a host, at most 512 characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<HttpUrl, String> {

        static final int MAX_LENGTH = 512;

        /** Optional userinfo (accepted, as URI accepts it with a parsed host), a non-empty reg-name, an optional port. */
        private static final Pattern REG_NAME_AUTHORITY = Pattern.compile(
                "(?:[^@]*@)?(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+(?::[0-9]*)?");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (value.isEmpty() || value.length() > MAX_LENGTH) {
                return false;
            }
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                return uri.isAbsolute()
                        && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                        && hasHost(uri);
            } catch (URISyntaxException e) {
                return false;
            }
        }

        /**
         * An IPv4 address, a bracketed IPv6 address or a host name, which java.net.URI parses itself; or any other
         * RFC 3986 reg-name, such as a Compose service name with an underscore ({@code rt_agent_1}), which URI
         * (following the older RFC 2396) keeps only as an unparsed authority.
         */
        private static boolean hasHost(URI uri) {
            if (uri.getHost() != null) {
                return !uri.getHost().isEmpty();
            }
            return uri.getRawAuthority() != null && REG_NAME_AUTHORITY.matcher(uri.getRawAuthority()).matches();
        }
    }
}

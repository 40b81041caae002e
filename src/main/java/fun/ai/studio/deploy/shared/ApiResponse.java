package fun.ai.studio.deploy.shared;

/**
 * The JSON envelope of every response of this service's own endpoints: {@code code} equals the HTTP
 * status, {@code data} is null on errors but 410, where it says what is still kept.
 */
public record ApiResponse<T>(int code, String message, T data) {

    public static <T> ApiResponse<T> ok(T data) {
        return new ApiResponse<>(200, "ok", data);
    }

    public static ApiResponse<Void> error(int status, String message) {
        return new ApiResponse<>(status, message, null);
    }
}

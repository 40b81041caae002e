package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.ApiResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.ResponseEntity;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a call can find the database unavailable is answered 503 with the envelope and Retry-After. */
class DatabaseUnavailableAnswerTest {

    @Test
    void aFailureThatIsNotTheDatabasesStaysA500() throws Exception {
        Exception bug = new JpaSystemException(new RuntimeException("Unable to rollback",
                new SQLException("Duplicate entry", "23000")));
        Method method = new ExceptionHandlerMethodResolver(GlobalExceptionHandler.class).resolveMethodByThrowable(bug);

        ResponseEntity<?> answer = (ResponseEntity<?>) method.invoke(new GlobalExceptionHandler(), bug);

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(((ApiResponse<?>) answer.getBody()).message()).isEqualTo("internal error");
    }

    static Stream<Exception> failures() {
        return Stream.of(new CannotCreateTransactionException("database unreachable since ...; refused"),
                new DataAccessResourceFailureException("Communications link failure"),
                new TransientDataAccessResourceException("pool timed out"),
                new QueryTimeoutException("statement cancelled"),
                new RecoverableDataAccessException("Unable to commit against JDBC Connection; Communications link failure"),
                new JpaSystemException(new RuntimeException("Unable to rollback against JDBC Connection",
                        new SQLException("Communications link failure", "08S01"))));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void isAnswered503WithRetryAfterAndNoInternals(Exception failure) throws Exception {
        GlobalExceptionHandler handler = new GlobalExceptionHandler();
        Method method = new ExceptionHandlerMethodResolver(GlobalExceptionHandler.class).resolveMethodByThrowable(failure);

        ResponseEntity<?> answer = (ResponseEntity<?>) method.invoke(handler, failure);

        assertThat(method.getName()).isIn("databaseUnavailable", "bug");
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        ApiResponse<?> body = (ApiResponse<?>) answer.getBody();
        assertThat(body.code()).isEqualTo(503);
        assertThat(body.message()).isEqualTo("database unavailable; retry later");
        assertThat(body.data()).isNull();
    }
}

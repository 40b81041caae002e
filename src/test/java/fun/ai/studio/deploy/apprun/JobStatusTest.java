package fun.ai.studio.deploy.apprun;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusTest {

    @Test
    void theConstantsForMessagesAndValidationNameExactlyTheStatuses() {
        List<String> names = Arrays.stream(JobStatus.values()).map(Enum::name).toList();
        assertThat(JobStatus.ALLOWED.split(" ")).containsExactlyElementsOf(names);
        assertThat(JobStatus.PATTERN).isEqualTo("(?i)" + String.join("|", names));
        assertThat(JobStatus.NAMES).isEqualTo(names);
    }

    @Test
    void theEarlierServicesPendingIsReadInAnyCase() {
        assertThat(JobStatus.parse("pending")).contains(JobStatus.PENDING);
        assertThat(JobStatus.parse("PENDING".toLowerCase(Locale.ROOT) + " ")).contains(JobStatus.PENDING);
        assertThat(JobStatus.parse("DEPLOYING")).isEmpty();
    }
}

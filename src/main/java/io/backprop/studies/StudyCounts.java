package io.backprop.studies;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Studies by status across all instances, for the metrics. */
@Component
public class StudyCounts {

    private final StudyRepository studies;

    StudyCounts(StudyRepository studies) {
        this.studies = studies;
    }

    /** The statuses, as the metrics label them. */
    public static List<String> statuses() {
        return Arrays.stream(StudyStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
    }

    public long count(String status) {
        return studies.countByStatus(StudyStatus.valueOf(status.toUpperCase(Locale.ROOT)));
    }
}

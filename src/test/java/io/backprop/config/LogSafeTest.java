package io.backprop.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void aForgedLineBreakOrEscapeSequenceCannotStartAnotherLogLine() {
        assertThat(LogSafe.of("run\n2026-11-29 INFO audit action=delete")).isEqualTo("run?2026-11-29 INFO audit action=delete");
        assertThat(LogSafe.of("a\r\u001b[31mred\u2028b\u202ec")).isEqualTo("a??[31mred?b?c");
        assertThat(LogSafe.of("naïve-模型")).isEqualTo("naïve-模型");
        assertThat(LogSafe.of("x".repeat(500))).hasSize(200);
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}

package io.backprop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backprop.core.InputRejected;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelEncoderTest {

    private static LabelEncoder.Encoded encode(Task task, int maxClasses, String... cells) {
        LabelEncoder encoder = new LabelEncoder(List.of("label"), maxClasses, "label");
        for (int i = 0; i < cells.length; i++) {
            encoder.add(new String[] {cells[i]}, "row " + (i + 1));
        }
        return encoder.finish(task);
    }

    @Test
    void numericClassesSortNumericallyAndEqualValuesAreOneClass() {
        LabelEncoder.Encoded e = encode(null, 100, "10", "9", "2", "10.0", "2");
        assertThat(e.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(e.classes()).containsExactly("2", "9", "10");
        assertThat(e.labels()).containsExactly(2f, 1f, 0f, 2f, 0f);
    }

    @Test
    void textClassesSortAlphabetically() {
        LabelEncoder.Encoded e = encode(null, 100, "pear", "apple", "fig", "apple");
        assertThat(e.classes()).containsExactly("apple", "fig", "pear");
        assertThat(e.labels()).containsExactly(2f, 0f, 1f, 0f);
    }

    @Test
    void fractionalOrManyDistinctNumbersAreARegression() {
        assertThat(encode(null, 100, "0.5", "1.5", "2.25").task()).isEqualTo(Task.REGRESSION);
        String[] many = new String[500];
        for (int i = 0; i < many.length; i++) {
            many[i] = Integer.toString(i);
        }
        LabelEncoder.Encoded e = encode(null, 100, many);
        assertThat(e.task()).isEqualTo(Task.REGRESSION);
        assertThat(e.labels()[499]).isEqualTo(499f);
    }

    @Test
    void aNumberBeyondFloat32IsTextNotAGiantPlainString() {
        LabelEncoder.Encoded e = encode(null, 100, "1", "2", "1e2000000000");
        assertThat(e.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(e.classes()).containsExactly("1", "1e2000000000", "2");
        assertThatThrownBy(() -> encode(Task.REGRESSION, 100, "1", "1e2000000000"))
                .isInstanceOf(InputRejected.class).hasMessageContaining("finite float32");
    }

    @Test
    void overlongLabelsAndTooManyClassesAreRefused() {
        assertThatThrownBy(() -> encode(null, 100, "a", "9".repeat(3_000_000)))
                .isInstanceOf(InputRejected.class).hasMessageContaining("at most 200");
        assertThatThrownBy(() -> encode(Task.CLASSIFICATION, 3, "a", "b", "c", "d"))
                .isInstanceOf(InputRejected.class).hasMessageContaining("more than 3 distinct classes");
    }
}

package io.backprop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backprop.core.InputRejected;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV parser on its own: what it reads, and how it refuses, before any HTTP. */
class CsvDatasetParserTest {

    private static final DatasetLimits LIMITS = new DatasetLimits(4, 10, 20, 200);

    private static DatasetTable parse(String csv, List<String> labels, Task task) {
        return CsvDatasetParser.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), labels, task, LIMITS);
    }

    private static InputRejected refusal(String csv, List<String> labels) {
        try {
            parse(csv, labels, null);
        } catch (InputRejected e) {
            return e;
        }
        throw new AssertionError("accepted: " + csv);
    }

    @Test
    void theLastColumnIsTheLabelByDefaultAndFeaturesAreRowMajor() {
        DatasetTable t = parse("a,b,kind\n1,2,cat\n3,4.5,dog\n-1,\"0\",cat\n", null, null);
        assertThat(t.featureNames()).containsExactly("a", "b");
        assertThat(t.labelNames()).containsExactly("kind");
        assertThat(t.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(t.classes()).containsExactly("cat", "dog");
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.features()).containsExactly(1f, 2f, 3f, 4.5f, -1f, 0f);
        assertThat(t.labels()).containsExactly(0f, 1f, 0f);
    }

    @Test
    void namedLabelColumnsAnywhereLeaveTheRestAsFeaturesInOrder() {
        DatasetTable t = parse("y1,x,y2\n0,7,1\n1,8,1\n", List.of("y1", "y2"), Task.CLASSIFICATION);
        assertThat(t.featureNames()).containsExactly("x");
        assertThat(t.labelNames()).containsExactly("y1", "y2");
        assertThat(t.features()).containsExactly(7f, 8f);
        assertThat(t.labels()).containsExactly(0f, 1f, 1f, 1f);
    }

    @Test
    void javasOwnFloatSyntaxIsNotANumberHereButEveryDecimalFormIs() {
        for (String cell : List.of("1f", "2.5d", "0x1p3", "3F", "1_000")) {
            InputRejected e = refusal("a,kind\n1,cat\n" + cell + ",dog\n", null);
            assertThat(e.getMessage()).as(cell).contains("feature column 'a' is not numeric: '" + cell + "' at CSV line 3");
        }
        DatasetTable t = parse("a,b,c,kind\n1e-3,-2.5,+3,cat\n.5, 7 ,1E2,dog\n", null, null);
        assertThat(t.features()).containsExactly(1e-3f, -2.5f, 3f, 0.5f, 7f, 100f);
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnsName() {
        // what Excel's "CSV UTF-8" writes: the BOM, then the header, with CRLF line ends
        DatasetTable t = parse("\uFEFFkind,a\r\ncat,1\r\ndog,2\r\n", List.of("kind"), null);
        assertThat(t.labelNames()).containsExactly("kind");
        assertThat(t.featureNames()).containsExactly("a");
        assertThat(t.classes()).containsExactly("cat", "dog");
    }

    @Test
    void aSemicolonSeparatedFileIsReadWithItsDelimiterAndWithoutItSaysWhichToSend() {
        String european = "a;b;kind\n1;2;cat\n3;4.5;dog\n";
        DatasetTable t = CsvDatasetParser.parse(new ByteArrayInputStream(european.getBytes(StandardCharsets.UTF_8)),
                null, null, LIMITS, ';');
        assertThat(t.featureNames()).containsExactly("a", "b");
        assertThat(t.features()).containsExactly(1f, 2f, 3f, 4.5f);
        assertThat(t.classes()).containsExactly("cat", "dog");

        assertThat(refusal(european, null)).hasMessageContaining("send delimiter=;");
        assertThat(refusal("a\tb\tkind\n1\t2\tcat\n", null)).hasMessageContaining("send delimiter=tab");
    }

    @Test
    void aColumnNameWithAControlCharacterIsRefused() {
        assertThat(refusal("a\u0000,b,kind\n1,2,cat\n3,4,dog\n", null)).hasMessageContaining("control character");
    }

    @Test
    void aDeclaredRegressionKeepsTheNumbers() {
        DatasetTable t = parse("x,y\n1,0.25\n2,3\n", null, Task.REGRESSION);
        assertThat(t.classes()).isEmpty();
        assertThat(t.labels()).containsExactly(0.25f, 3f);
    }

    @Test
    void malformedFilesAreRefusedAsMalformedWithTheLine() {
        InputRejected ragged = refusal("a,b,y\n1,2,0\n1,2\n", null);
        assertThat(ragged.kind()).isEqualTo(InputRejected.Kind.MALFORMED);
        assertThat(ragged.getMessage()).contains("line 3");
        assertThat(refusal("a,b,y\n", null).getMessage()).contains("no data rows");
        assertThat(refusal("a,a,y\n1,2,0\n", null).getMessage()).contains("duplicate");
        assertThat(refusal("only\n1\n", null).getMessage()).contains("at least two columns");
        byte[] latin1 = "a,y\n\u00e9,0\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CsvDatasetParser.parse(new ByteArrayInputStream(latin1), null, null, LIMITS))
                .isInstanceOfSatisfying(InputRejected.class, e -> assertThat(e.kind()).isEqualTo(InputRejected.Kind.MALFORMED));
    }

    @Test
    void badCellsAreRefusedNamingTheirColumn() {
        InputRejected text = refusal("a,y\nseven,0\n", null);
        assertThat(text.kind()).isEqualTo(InputRejected.Kind.INVALID);
        assertThat(text.field()).isEqualTo("a");
        assertThat(refusal("a,y\nNaN,0\n", null).getMessage()).contains("non-finite");
        assertThat(refusal("a,y\n1,\n", null).field()).isEqualTo("y");
        assertThat(refusal("a,y\n" + "1".repeat(21) + ",0\n2,1\n", null).getMessage()).contains("a cell of 21");
        assertThat(refusal("a,y\n1,0\n", List.of("nope")).getMessage()).contains("no column named 'nope'");
    }

    @Test
    void limitsAreCheckedBeforeTheRowsAreRead() {
        assertThat(refusal("a,b,c,d,e,y\n1,2,3,4,5,0\n", null).getMessage()).contains("6 columns");
        InputRejected longLine = refusal("a,y\n" + "1".repeat(300) + ",0\n", null);
        assertThat(longLine.field()).isEqualTo("file");
    }
}

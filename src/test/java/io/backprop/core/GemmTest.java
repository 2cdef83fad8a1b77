package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Vector API kernel agrees with EJML on every product, including tile and vector tails. */
class GemmTest {

    static Stream<Arguments> shapes() {
        int[] sizes = {1, 3, 8, 10, 15, 16, 17, 33, 64, 100, 300};
        Stream.Builder<Arguments> b = Stream.builder();
        Rng rng = new Rng(3);
        for (int t = 0; t < 60; t++) {
            b.add(Arguments.of(sizes[rng.nextInt(sizes.length)], sizes[rng.nextInt(sizes.length)],
                    sizes[rng.nextInt(sizes.length)]));
        }
        b.add(Arguments.of(64, 784, 128));
        b.add(Arguments.of(64, 128, 10));
        b.add(Arguments.of(37, 600, 45));
        // tall products: many whole 8-row tiles, rows past the last of them, K past one 256-deep block
        b.add(Arguments.of(300, 270, 50));
        b.add(Arguments.of(261, 300, 130));
        return b.build();
    }

    @ParameterizedTest(name = "m={0} k={1} n={2}")
    @MethodSource("shapes")
    void vectorKernelMatchesEjml(int m, int k, int n) {
        Gemm vector = new VectorGemm();
        Gemm ejml = new EjmlGemm();
        FMatrixRMaj a = random(m, k, 1);
        FMatrixRMaj b = random(k, n, 2);
        FMatrixRMaj at = random(k, m, 3);
        FMatrixRMaj bt = random(n, k, 4);

        assertSame(m, n, (x, y) -> x.mult(a, b, y), vector, ejml, k);
        assertSame(m, n, (x, y) -> x.multTransA(at, b, y), vector, ejml, k);
        assertSame(m, n, (x, y) -> x.multTransB(a, bt, y), vector, ejml, k);
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("broadcasts")
    void vectorBiasAndColumnSumsAreBitIdenticalToThePlainLoops(int rows, int cols) {
        Gemm vector = new VectorGemm();
        Gemm plain = new EjmlGemm();
        FMatrixRMaj z = random(rows, cols, 5);
        float[] bias = random(1, cols, 6).data;
        float[] expected = z.data.clone();
        float[] actual = z.data.clone();
        plain.addBias(expected, bias, rows, cols);
        vector.addBias(actual, bias, rows, cols);
        assertThat(actual).containsExactly(expected);
        assertThat(actual).isNotEqualTo(z.data);

        float[] expectedSums = new float[cols];
        // garbage in the sums proves they are overwritten
        float[] actualSums = random(1, cols, 7).data;
        plain.columnSums(z.data, rows, cols, expectedSums);
        vector.columnSums(z.data, rows, cols, actualSums);
        assertThat(actualSums).containsExactly(expectedSums);
    }

    static Stream<Arguments> broadcasts() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(3, 10), Arguments.of(64, 128), Arguments.of(37, 45),
                Arguments.of(256, 512), Arguments.of(5, 33));
    }

    private interface Product {
        void run(Gemm gemm, FMatrixRMaj out);
    }

    private static void assertSame(int m, int n, Product product, Gemm vector, Gemm ejml, int k) {
        FMatrixRMaj expected = new FMatrixRMaj(m, n);
        // garbage in the output proves the kernel overwrites instead of accumulating
        FMatrixRMaj actual = random(m, n, 9);
        product.run(ejml, expected);
        product.run(vector, actual);
        for (int i = 0; i < m * n; i++) {
            assertThat(Math.abs(actual.data[i] - expected.data[i]))
                    .as("element %d", i)
                    .isLessThanOrEqualTo(1e-5f * k + 1e-5f * Math.abs(expected.data[i]));
        }
    }

    private static FMatrixRMaj random(int rows, int cols, long seed) {
        Rng rng = new Rng(seed * 1000 + rows * 31L + cols);
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return m;
    }
}

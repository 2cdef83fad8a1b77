package io.backprop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GemmSelectorTest {

    private static final GemmSelector.JitFlags C2 = new GemmSelector.JitFlags(4, false, true);

    @Test
    void theVectorKernelRunsWhereC2CompilesIt() {
        GemmSelector.Choice choice = GemmSelector.choose("vector-api (512-bit, 16 floats)", C2, false);
        assertThat(choice.vector()).isTrue();
        assertThat(choice.level()).isEqualTo(System.Logger.Level.INFO);
    }

    @Test
    void withoutC2TheScalarKernelRunsAndTheWarningNamesTheFix() {
        GemmSelector.Choice c1 = GemmSelector.choose("vector-api", new GemmSelector.JitFlags(1, false, true), false);
        assertThat(c1.vector()).isFalse();
        assertThat(c1.level()).isEqualTo(System.Logger.Level.WARNING);
        assertThat(c1.message()).contains("-XX:TieredStopAtLevel=1", "optimizedLaunch=false");
        assertThat(GemmSelector.choose("vector-api", new GemmSelector.JitFlags(4, true, true), false).message())
                .contains("-Xint");
        // C2 alone, without tiers, still compiles the kernel
        assertThat(GemmSelector.choose("vector-api", new GemmSelector.JitFlags(1, false, false), false).vector()).isTrue();
    }

    @Test
    void aMissingModuleIsAWarningWithTheFlagToAdd() {
        GemmSelector.Choice choice = GemmSelector.choose(null, C2, false);
        assertThat(choice.vector()).isFalse();
        assertThat(choice.message()).contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void commandLineFlagsAreReadWhenTheDiagnosticBeanIsAbsent() {
        assertThat(GemmSelector.JitFlags.fromArguments(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"), false).c2()).isFalse();
        assertThat(GemmSelector.JitFlags.fromArguments(List.of("-Xint"), false).c2()).isFalse();
        assertThat(GemmSelector.JitFlags.fromArguments(List.of("-Xmx1g"), false).c2()).isTrue();
    }

    @Test
    void aJvmLaunchedWithoutC2LogsOneWarningAndGetsTheScalarKernel() throws Exception {
        String c1 = probe("-XX:TieredStopAtLevel=1");
        assertThat(c1).contains("kernel=ejml");
        assertThat(c1.lines().filter(l -> l.startsWith("WARNING: GEMM kernel")).count()).isEqualTo(1);
        assertThat(c1).contains("without the C2 compiler (-XX:TieredStopAtLevel=1)");
        String c2 = probe("-XX:TieredStopAtLevel=4");
        assertThat(c2).contains("kernel=vector-api").doesNotContain("WARNING: GEMM kernel");
    }

    private static String probe(String flag) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(TestJvm.command(flag));
        command.add(KernelProbe.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}

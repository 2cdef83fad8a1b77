package io.backprop.core;

/** Prints the kernel this JVM gets: a process the kernel choice test starts with chosen JIT flags. */
public final class KernelProbe {

    private KernelProbe() {
    }

    public static void main(String[] args) {
        System.out.println("kernel=" + Gemm.create().name());
    }
}

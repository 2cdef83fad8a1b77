package io.backprop.core;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/** EJML's own products: the fallback where the Vector API module is absent. */
final class EjmlGemm implements Gemm {

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.mult(a, b, c);
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.multTransA(a, b, c);
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.multTransB(a, b, c);
    }

    /** Through a row-major copy: this fallback runs without C2 or the Vector API, where the copy is noise. */
    @Override
    public void multPanels(FMatrixRMaj a, float[] b, FMatrixRMaj c) {
        FMatrixRMaj rowMajor = new FMatrixRMaj(a.numCols, c.numCols);
        Panels.toRowMajor(b, rowMajor.numRows, rowMajor.numCols, rowMajor.data);
        mult(a, rowMajor, c);
    }

    @Override
    public void multTransAPanels(FMatrixRMaj a, FMatrixRMaj b, float[] c) {
        FMatrixRMaj rowMajor = new FMatrixRMaj(a.numCols, b.numCols);
        multTransA(a, b, rowMajor);
        Panels.fromRowMajor(rowMajor.data, rowMajor.numRows, rowMajor.numCols, c);
    }

    @Override
    public String name() {
        return "ejml";
    }
}

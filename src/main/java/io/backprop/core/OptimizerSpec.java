package io.backprop.core;

/**
 * An optimizer with {@code torch.optim} semantics and defaults. Fields a type does not use are ignored.
 *
 * @param type        sgd, adam, adamw, adagrad or rmsprop
 * @param momentum    sgd and rmsprop
 * @param nesterov    sgd only
 * @param weightDecay coupled L2 for all but adamw, where it is decoupled (Loshchilov and Hutter 2019)
 * @param alpha       rmsprop's smoothing constant
 */
public record OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov,
                            double weightDecay, double beta1, double beta2, double epsilon, double alpha) {

    public static final String SGD = "sgd";
    public static final String ADAM = "adam";
    public static final String ADAMW = "adamw";
    public static final String ADAGRAD = "adagrad";
    public static final String RMSPROP = "rmsprop";

    public OptimizerSpec {
        if (!java.util.List.of(SGD, ADAM, ADAMW, ADAGRAD, RMSPROP).contains(type)) {
            throw new IllegalArgumentException("unknown optimizer '" + type + "'");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0");
        }
        if (!(momentum >= 0) || !Double.isFinite(momentum)) {
            throw new IllegalArgumentException("momentum must be >= 0");
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be >= 0");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1)");
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be > 0");
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be >= 0");
        }
        if (nesterov && (!SGD.equals(type) || momentum <= 0)) {
            throw new IllegalArgumentException("nesterov needs sgd with momentum > 0");
        }
    }

    /**
     * Parameter-sized state tensors the optimizer keeps: SGD's momentum, Adam's two moments, Adagrad's
     * sums, RMSprop's squares and momentum. What checkpoints and the memory estimate count.
     */
    public int stateTensors() {
        return switch (type) {
            case ADAM, ADAMW -> 2;
            case SGD -> momentum > 0 ? 1 : 0;
            case RMSPROP -> 1 + (momentum > 0 ? 1 : 0);
            default -> 1;
        };
    }

    /** PyTorch's defaults for {@code type}: eps 1e-8 (adagrad 1e-10), betas (0.9, 0.999), alpha 0.99. */
    public static OptimizerSpec defaults(String type, double learningRate) {
        double eps = ADAGRAD.equals(type) ? 1e-10 : 1e-8;
        double weightDecay = ADAMW.equals(type) ? 0.01 : 0.0;
        return new OptimizerSpec(type, learningRate, 0.0, false, weightDecay, 0.9, 0.999, eps, 0.99);
    }

    public OptimizerSpec withMomentum(double m, boolean nest) {
        return new OptimizerSpec(type, learningRate, m, nest, weightDecay, beta1, beta2, epsilon, alpha);
    }

    public OptimizerSpec withWeightDecay(double wd) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, wd, beta1, beta2, epsilon, alpha);
    }
}

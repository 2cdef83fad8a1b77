package io.backprop.runs;

import io.backprop.core.OptimizerSpec;
import io.backprop.web.FieldErrors;
import java.util.List;
import java.util.Map;

/** The rules of a spec's {@code optimizer} section, with torch.optim's defaults filled in. */
final class OptimizerRules {

    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "adagrad", "rmsprop");

    private OptimizerRules() {
    }

    static RunSpec.Optimizer optimizer(RunSpec.Optimizer o, FieldErrors errors) {
        if (o == null) {
            errors.add("$.optimizer", "is required");
            return null;
        }
        String p = "$.optimizer";
        int before = errors.size();
        if (o.type() == null) {
            errors.add(p + ".type", "is required; one of " + OPTIMIZERS);
        } else if (!OPTIMIZERS.contains(o.type())) {
            errors.add(p + ".type", "unknown optimizer '" + o.type() + "'; one of " + OPTIMIZERS);
        }
        for (var f : List.of(Map.entry("learningRate", SpecDefaults.opt(o.learningRate())), Map.entry("momentum", SpecDefaults.opt(o.momentum())),
                Map.entry("weightDecay", SpecDefaults.opt(o.weightDecay())), Map.entry("beta1", SpecDefaults.opt(o.beta1())),
                Map.entry("beta2", SpecDefaults.opt(o.beta2())), Map.entry("epsilon", SpecDefaults.opt(o.epsilon())),
                Map.entry("alpha", SpecDefaults.opt(o.alpha())))) {
            errors.finite(p + "." + f.getKey(), f.getValue().orElse(null));
        }
        if (o.learningRate() == null) {
            errors.add(p + ".learningRate", "is required");
        } else if (!(o.learningRate() > 0)) {
            errors.add(p + ".learningRate", "must be > 0");
        }
        if (o.momentum() != null && !(o.momentum() >= 0)) {
            errors.add(p + ".momentum", "must be >= 0");
        }
        if (o.momentum() != null && o.type() != null && !List.of("sgd", "rmsprop").contains(o.type())) {
            errors.add(p + ".momentum", "applies to sgd and rmsprop only");
        }
        if (Boolean.TRUE.equals(o.nesterov()) && (!"sgd".equals(o.type()) || o.momentum() == null || !(o.momentum() > 0))) {
            errors.add(p + ".nesterov", "needs sgd with momentum > 0");
        }
        if (o.weightDecay() != null && !(o.weightDecay() >= 0)) {
            errors.add(p + ".weightDecay", "must be >= 0");
        }
        if (o.beta1() != null && !(o.beta1() >= 0 && o.beta1() < 1)) {
            errors.add(p + ".beta1", "must be in [0, 1)");
        }
        if (o.beta2() != null && !(o.beta2() >= 0 && o.beta2() < 1)) {
            errors.add(p + ".beta2", "must be in [0, 1)");
        }
        if ((o.beta1() != null || o.beta2() != null) && o.type() != null && !o.type().startsWith("adam")) {
            errors.add(p + ".beta1", "betas apply to adam and adamw only");
        }
        if (o.epsilon() != null && !(o.epsilon() > 0)) {
            errors.add(p + ".epsilon", "must be > 0");
        }
        if (o.alpha() != null && !(o.alpha() >= 0 && o.alpha() <= 1)) {
            errors.add(p + ".alpha", "must be in [0, 1]");
        }
        if (o.alpha() != null && o.type() != null && !"rmsprop".equals(o.type())) {
            errors.add(p + ".alpha", "applies to rmsprop only");
        }
        if (errors.size() > before) {
            return null;
        }
        OptimizerSpec d = OptimizerSpec.defaults(o.type(), o.learningRate());
        boolean usesMomentum = List.of("sgd", "rmsprop").contains(o.type());
        boolean adam = o.type().startsWith("adam");
        return new RunSpec.Optimizer(o.type(), o.learningRate(),
                usesMomentum ? SpecDefaults.or(o.momentum(), 0.0) : null,
                "sgd".equals(o.type()) ? Boolean.TRUE.equals(o.nesterov()) : null,
                SpecDefaults.or(o.weightDecay(), d.weightDecay()),
                adam ? SpecDefaults.or(o.beta1(), d.beta1()) : null,
                adam ? SpecDefaults.or(o.beta2(), d.beta2()) : null,
                "sgd".equals(o.type()) ? null : SpecDefaults.or(o.epsilon(), d.epsilon()),
                "rmsprop".equals(o.type()) ? SpecDefaults.or(o.alpha(), d.alpha()) : null);
    }
}

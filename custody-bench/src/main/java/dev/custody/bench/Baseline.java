package dev.custody.bench;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code @Benchmark} method that the other benchmarks of its class are measured against:
 * {@link BenchMain} prints each score as a ratio to the baseline's score with the same parameters.
 * At most one method per class; a class without one gets scores and no ratios.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Baseline {
}

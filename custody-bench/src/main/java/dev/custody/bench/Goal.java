package dev.custody.bench;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A performance target of the marked {@code @Benchmark} method, as a ratio to a peer of its class
 * measured in the same run: {@link BenchMain} prints, after the tables, this method's median over
 * the peer's (with the same parameters), its noise, and whether it is at most {@link #atMost()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Goal.List.class)
public @interface Goal {
    /** The peer method of the same class. */
    String peer();

    /** The largest ratio of this method's median to the peer's that meets the target. */
    double atMost();

    /** The target in words, as the issue states it. */
    String says();

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Goal[] value();
    }
}

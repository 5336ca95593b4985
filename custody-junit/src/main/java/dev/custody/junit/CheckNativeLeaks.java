package dev.custody.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails each test of the annotated class (or the annotated test method) that leaves blocks of
 * custody's heaps live: a meta-annotation for {@code @ExtendWith(CustodyExtension.class)}. See
 * {@link CustodyExtension} for what is checked and what is left out.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CustodyExtension.class)
public @interface CheckNativeLeaks {
}

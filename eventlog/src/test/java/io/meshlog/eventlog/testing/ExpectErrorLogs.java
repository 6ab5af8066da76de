package io.meshlog.eventlog.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the ERROR log lines a test provokes on purpose (a full disk, a corrupt file): each value
 * is a substring of an expected message. {@link TestGuard} fails a test on any other ERROR line.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ExpectErrorLogs {
  /** Substrings of the ERROR messages the test expects. */
  String[] value();
}

package io.meshlog.jmx.adapter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a node operation on behalf of a console. Only console (RMI) threads call this, never an
 * event loop or the router thread.
 */
final class Futures {

  private Futures() {}

  /**
   * The future's value within {@code timeout}.
   *
   * @throws IllegalArgumentException when the operation failed with one
   * @throws IllegalStateException naming {@code what} when it failed otherwise or timed out
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(what + ": " + cause.getMessage(), cause);
      }
      throw new IllegalStateException(what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new IllegalStateException(what + " timed out after " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted");
    }
  }
}

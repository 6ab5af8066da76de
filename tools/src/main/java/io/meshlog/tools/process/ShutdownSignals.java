package io.meshlog.tools.process;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM and SIGINT into a call on the command's own thread path instead of the JVM's
 * default exit (status 143/130, with shutdown hooks racing each other): the node then drains its
 * ring, closes the journal and RocksDB in order, and the process exits 0.
 *
 * <p>{@code sun.misc.Signal} in the jdk.unsupported module (exported, and kept so for as long as
 * the JDK has no supported replacement) is the JDK's only way to do this. A shutdown hook is not
 * one: it runs only once the JVM has chosen its exit status. It is reached by reflection so that
 * the build can treat compiler warnings as errors, the compile-time "internal proprietary API"
 * warning being one no {@code -Xlint} option or annotation turns off. Where it is missing or
 * refuses a signal, the JVM's default handling stays, and the shutdown hook the command installs
 * still closes the node.
 */
public final class ShutdownSignals {

  private ShutdownSignals() {}

  /** Calls {@code onSignal} (on a JVM signal thread) at the first SIGTERM or SIGINT. */
  public static void onTermOrInt(Runnable onSignal) {
    Class<?> signalClass;
    Class<?> handlerClass;
    Constructor<?> newSignal;
    Method handle;
    try {
      signalClass = Class.forName("sun.misc.Signal");
      handlerClass = Class.forName("sun.misc.SignalHandler");
      newSignal = signalClass.getConstructor(String.class);
      handle = signalClass.getMethod("handle", signalClass, handlerClass);
    } catch (ReflectiveOperationException e) {
      return; // no jdk.unsupported in this runtime: default handling, see the class comment
    }
    Object handler =
        Proxy.newProxyInstance(
            handlerClass.getClassLoader(),
            new Class<?>[] {handlerClass},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "ShutdownSignals handler";
                };
              }
              onSignal.run(); // SignalHandler.handle(Signal), the interface's only method
              return null;
            });
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        handle.invoke(null, newSignal.newInstance(name), handler);
      } catch (InvocationTargetException e) {
        if (!(e.getCause() instanceof IllegalArgumentException)) {
          throw new IllegalStateException("cannot handle SIG" + name, e.getCause());
        }
        // The signal is reserved on this platform (e.g. the JVM runs with -Xrs): the JVM's default
        // handling stays, and the shutdown hook the command installs still closes the node.
      } catch (ReflectiveOperationException e) {
        return;
      }
    }
  }
}

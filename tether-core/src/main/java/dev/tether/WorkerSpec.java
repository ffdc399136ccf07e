package dev.tether;

import dev.tether.internal.codec.InterfaceSchema;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Tether#launch(WorkerSpec)} starts: the objects the worker exports (by implementation
 * class, created in the worker with its public no-argument constructor), the worker's JVM and
 * class path, its time limits, and how it is supervised ({@link SupervisionPolicy}). Immutable;
 * built with {@link #builder()}.
 */
public final class WorkerSpec {
  /** One object the worker exports. */
  public record Export(String name, String iface, String implementation) {}

  private final String name;
  private final List<Export> exports;
  private final List<String> jvmArgs;
  private final String classpath;
  private final Path javaExecutable;
  private final Duration startTimeout;
  private final Duration shutdownTimeout;
  private final boolean forwardOutput;
  private final TetherOptions options;
  private final SupervisionPolicy supervision;
  private final String serverSetup;

  private WorkerSpec(Builder b) {
    this.name = b.name;
    this.exports = List.copyOf(b.exports.values());
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.classpath = b.classpath;
    this.javaExecutable = b.javaExecutable;
    this.startTimeout = b.startTimeout;
    this.shutdownTimeout = b.shutdownTimeout;
    this.forwardOutput = b.forwardOutput;
    this.options = b.options;
    this.supervision = b.supervision;
    this.serverSetup = b.serverSetup;
  }

  private WorkerSpec(WorkerSpec o, SupervisionPolicy supervision) {
    this.name = o.name;
    this.exports = o.exports;
    this.jvmArgs = o.jvmArgs;
    this.classpath = o.classpath;
    this.javaExecutable = o.javaExecutable;
    this.startTimeout = o.startTimeout;
    this.shutdownTimeout = o.shutdownTimeout;
    this.forwardOutput = o.forwardOutput;
    this.options = o.options;
    this.supervision = supervision;
    this.serverSetup = o.serverSetup;
  }

  /**
   * This spec with another supervision policy. A {@link TetherPool} launches its workers with
   * {@link SupervisionPolicy#none()}: the pool itself replaces a worker that dies or hangs, so a
   * handle must not restart it behind the pool's back.
   */
  WorkerSpec withSupervision(SupervisionPolicy policy) {
    return new WorkerSpec(this, java.util.Objects.requireNonNull(policy, "policy"));
  }

  /** Starts describing a worker. */
  public static Builder builder() {
    return new Builder();
  }

  /** Name used in thread names, output prefixes and messages. */
  public String name() {
    return name;
  }

  /** What the worker exports. */
  public List<Export> exports() {
    return exports;
  }

  /** Extra JVM options, before the main class. */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** The worker's class path; empty means this JVM's class path. */
  public Optional<String> classpath() {
    return Optional.ofNullable(classpath);
  }

  /** The {@code java} to run; empty means the one running this JVM. */
  public Optional<Path> javaExecutable() {
    return Optional.ofNullable(javaExecutable);
  }

  /** Bound on starting the worker and its handshake. */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** On close, how long the worker may take to exit before it is terminated, then killed. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Whether the worker's output and error lines are copied to this JVM's, prefixed. */
  public boolean forwardOutput() {
    return forwardOutput;
  }

  /** Connection settings. */
  public TetherOptions options() {
    return options;
  }

  /** How the worker is supervised: restarts, backoff, hung calls. */
  public SupervisionPolicy supervision() {
    return supervision;
  }

  /**
   * The class name of the worker's {@link WorkerServerSetup}, if one was given with
   * {@link Builder#serverSetup(Class)}.
   */
  public Optional<String> serverSetup() {
    return Optional.ofNullable(serverSetup);
  }

  /** Builds a {@link WorkerSpec}. */
  public static final class Builder {
    private String name = "tether-worker";
    private final Map<String, Export> exports = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private String classpath;
    private Path javaExecutable;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private boolean forwardOutput = true;
    private TetherOptions options = TetherOptions.defaults();
    private SupervisionPolicy supervision = SupervisionPolicy.defaults();
    private String serverSetup;

    private Builder() {}

    /**
     * Exports a new instance of {@code implementation} under {@code name} as {@code iface}.
     *
     * @throws IllegalArgumentException when the interface uses a type Tether cannot carry, or the
     *     class is not a concrete implementation with a public no-argument constructor
     */
    public <T> Builder export(String name, Class<T> iface, Class<? extends T> implementation) {
      InterfaceSchema.of(iface);
      if (!iface.isAssignableFrom(implementation) || implementation.isInterface()
          || Modifier.isAbstract(implementation.getModifiers())) {
        throw new IllegalArgumentException(implementation.getName()
            + " is not a concrete implementation of " + iface.getName());
      }
      requireCreatable(implementation);
      return export(name, iface.getName(), implementation.getName());
    }

    /**
     * Exports by class names, for implementations that are only on the worker's class path. The
     * worker checks them when it starts; a mistake makes {@link Tether#launch} fail.
     */
    public Builder export(String name, String iface, String implementation) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.indexOf('=') >= 0) {
        throw new IllegalArgumentException("bad export name '" + name + "'");
      }
      if (exports.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is already exported");
      }
      exports.put(name, new Export(name, Objects.requireNonNull(iface, "iface"),
          Objects.requireNonNull(implementation, "implementation")));
      return this;
    }

    /** Names the worker in messages and output prefixes. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Adds JVM options such as {@code -Xmx256m}. */
    public Builder jvmArgs(String... args) {
      for (String a : args) {
        jvmArgs.add(Objects.requireNonNull(a, "jvm arg"));
      }
      return this;
    }

    /** The worker's class path. Default: this JVM's. */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      return this;
    }

    /** The {@code java} executable to run (21 or newer). Default: the one running this JVM. */
    public Builder javaExecutable(Path java) {
      this.javaExecutable = Objects.requireNonNull(java, "java");
      return this;
    }

    /** Bound on start-up and handshake. Default 30 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** On close, time to exit before being terminated, then killed. Default 5 s. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Whether worker output is copied to this JVM's, prefixed with its name and pid. Default on. */
    public Builder forwardOutput(boolean forward) {
      this.forwardOutput = forward;
      return this;
    }

    /** Connection settings. */
    public Builder options(TetherOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How the worker is supervised (crashes, hung calls, lost liveness). Default
     * {@link SupervisionPolicy#defaults()}; {@link SupervisionPolicy#none()} turns restarts off.
     */
    public Builder supervision(SupervisionPolicy policy) {
      this.supervision = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Has the worker configure its own server with a new instance of {@code setup} before it
     * starts: a concurrency limit, an incoming-call filter, a listener, more call threads (see
     * {@link WorkerServerSetup}). Default: none.
     *
     * @throws IllegalArgumentException when the class is not concrete with a public no-argument
     *     constructor
     */
    public Builder serverSetup(Class<? extends WorkerServerSetup> setup) {
      if (!WorkerServerSetup.class.isAssignableFrom(setup)) {
        throw new IllegalArgumentException(setup.getName() + " is not a WorkerServerSetup");
      }
      requireCreatable(setup);
      return serverSetup(setup.getName());
    }

    /**
     * Like {@link #serverSetup(Class)} by class name, for a setup that is only on the worker's
     * class path. The worker checks it when it starts; a mistake makes {@link Tether#launch} fail.
     */
    public Builder serverSetup(String className) {
      Objects.requireNonNull(className, "className");
      if (className.isBlank()) {
        throw new IllegalArgumentException("empty server setup class name");
      }
      this.serverSetup = className;
      return this;
    }

    private static void requireCreatable(Class<?> type) {
      if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        throw new IllegalArgumentException(type.getName() + " is not a concrete class");
      }
      try {
        if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
          throw new NoSuchMethodException();
        }
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(type.getName()
            + " needs a public no-argument constructor to be created in the worker");
      }
    }

    /** The spec. At least one export is required. */
    public WorkerSpec build() {
      if (exports.isEmpty()) {
        throw new IllegalStateException("a worker must export at least one object");
      }
      return new WorkerSpec(this);
    }
  }
}

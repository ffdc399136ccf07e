package dev.tether;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a remote interface method as safe to run more than once: its caller's {@link RetryPolicy}
 * may then also retry it after a failure of a <em>dispatched</em> call that may or may not have
 * run (the connection was lost, the worker crashed, was restarted or stopped answering). Calls the
 * server refused before dispatch are retried whether or not the method carries this: they never
 * ran. A method's own exception is its answer and is never retried.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}

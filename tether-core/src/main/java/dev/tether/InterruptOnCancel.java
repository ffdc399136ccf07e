package dev.tether;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a served method into interruption: when its caller cancels (or its deadline passes), the
 * thread serving the call is interrupted, so blocking code ({@code Thread.sleep}, queues, I/O on
 * interruptible channels) stops at once. Put it on an interface method, on the interface, or on the
 * implementation class or method. Off by default, because interrupting code that does not expect it
 * can leave state half-changed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface InterruptOnCancel {}

/**
 * Tether: Java objects in other processes, reached through ordinary interfaces, whose calls can
 * always be cancelled.
 */
package dev.tether;

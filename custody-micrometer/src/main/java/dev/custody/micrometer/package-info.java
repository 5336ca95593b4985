/**
 * Custody's books as Micrometer meters. {@link dev.custody.micrometer.CustodyMetrics} is a
 * {@code MeterBinder}: bound to a registry, it gives every open heap and each of its tags gauges of
 * live bytes, live blocks and peak bytes, and counters of allocations and frees, tagged {@code heap}
 * and {@code tag}; heaps made later get theirs as they are made, and lose them when they close.
 * The meters read the books when the registry reads them, so binding adds nothing to an allocation.
 */
package dev.custody.micrometer;

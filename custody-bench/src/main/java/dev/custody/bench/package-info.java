/** JMH benchmarks of custody against its peers, measured side by side in one run. */
package dev.custody.bench;

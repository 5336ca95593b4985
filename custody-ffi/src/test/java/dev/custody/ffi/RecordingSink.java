package dev.custody.ffi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A log sink for tests: keeps every record with the Java thread it arrived on. */
final class RecordingSink implements LogSink {
    record Entry(LogLevel level, String target, String message, Thread thread) {
    }

    final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void log(LogLevel level, String target, String message) {
        entries.add(new Entry(level, target, message, Thread.currentThread()));
    }

    List<Entry> containing(String text) {
        return entries.stream().filter(e -> e.message().contains(text)).toList();
    }
}

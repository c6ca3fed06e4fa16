// Translator.java: one translating thread's handle on a Model (hymt_translator). It runs one call
// at a time (a second concurrent call throws HymtException BUSY); cancel() and close() may come
// from any thread. A monitor guards the native pointer: close() cancels a running call and waits
// for it to return before freeing, or, when called from that call's own callback, leaves the free
// to the call's end; so no native call ever sees a freed translator, and the JVM never crashes on
// a closed one (IllegalStateException instead).
package io.hymt;

import java.nio.charset.StandardCharsets;

/** Translates text and files with a Model. Not for two threads at once: use one per thread. */
public final class Translator implements AutoCloseable {
  private final Object lock = new Object();
  private long handle; // 0 once freed
  private boolean closed;
  private Thread running; // the thread inside a call, or null

  Translator(long handle) { this.handle = handle; }

  /**
   * Translates text (a document of {@code options.format()}, plain text by default) as {@code hymt
   * translate} does: long paragraphs split into sentences, the output checks run, a failing segment
   * retried once. Throws HymtException: INVALID_ARGUMENT (unknown language, format or option;
   * empty text), CORRUPT_FILE (a malformed document), CANCELLED, BUSY.
   */
  public Result translate(String text, Options options) { return translate(text, options, null); }

  /**
   * The same, streaming the output to callback as it is written (on this thread). With a callback a
   * document goes one segment at a time, in order. callback may be null.
   */
  public Result translate(String text, Options options, Callback callback) {
    if (text == null) throw new NullPointerException("text");
    return run(text.getBytes(StandardCharsets.UTF_8), null, null, options, callback);
  }

  /**
   * Translates the file input into output (written atomically: on failure an existing output is
   * untouched). The format comes from options, else from the input's extension.
   */
  public Result translateFile(String input, String output, Options options) {
    return translateFile(input, output, options, null);
  }

  /** translateFile, streaming to callback (may be null). */
  public Result translateFile(String input, String output, Options options, Callback callback) {
    if (input == null) throw new NullPointerException("input");
    if (output == null) throw new NullPointerException("output");
    return run(null, Hymt.cstr(input), Hymt.cstr(output), options, callback);
  }

  private Result run(byte[] text, byte[] input, byte[] output, Options o, Callback callback) {
    if (o == null) throw new NullPointerException("options");
    CallbackBridge bridge = callback == null ? null : new CallbackBridge(callback);
    long h = begin();
    Object[] r;
    try {
      r = Native.translate(
          h, text, input, output, o.strs, o.ints, o.floats, o.seed, o.seedSet, o.glossary, o.keep, bridge);
    } catch (HymtException e) {
      if (bridge != null && bridge.thrown != null) throw Translator.<RuntimeException>sneaky(bridge.thrown);
      throw e;
    } finally {
      end();
    }
    if (bridge != null && bridge.thrown != null) throw Translator.<RuntimeException>sneaky(bridge.thrown);
    return Result.from(r);
  }

  private long begin() {
    synchronized (lock) {
      if (closed) throw new IllegalStateException("the Translator is closed");
      if (running != null)
        throw new HymtException(Status.BUSY,
            "the translator is already running a call on thread " + running.getName()
                + " (use one Translator per thread)");
      running = Thread.currentThread();
      Native.translatorResetCancel(handle);
      return handle;
    }
  }

  private void end() {
    synchronized (lock) {
      running = null;
      if (closed) free(); // close() came from this call's callback, or is waiting
      lock.notifyAll();
    }
  }

  private void free() {
    if (handle != 0) {
      Native.translatorFree(handle);
      handle = 0;
    }
  }

  /**
   * Asks the call running on this translator (on another thread) to stop: it throws HymtException
   * CANCELLED soon after. Thread-safe. With no call running, or on a closed translator, it does
   * nothing (a later call is not affected).
   */
  public void cancel() {
    synchronized (lock) {
      if (handle != 0 && running != null) Native.translatorCancel(handle);
    }
  }

  /** Whether close() has been called. */
  public boolean isClosed() {
    synchronized (lock) { return closed; }
  }

  /**
   * Frees the translator. A call running on another thread is cancelled and waited for; called
   * from that call's own callback, the call is cancelled and the translator freed when it returns.
   * Closing twice does nothing.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) return;
      closed = true;
      if (running == null) {
        free();
        return;
      }
      Native.translatorCancel(handle);
      if (running == Thread.currentThread()) return; // end() frees
      boolean interrupted = false;
      while (running != null) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      free();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw(T) t;
  }
}

// CallbackBridge.java: what the native code calls during a streamed translation. It turns the
// UTF-8 pieces into Strings and calls the user's Callback; a Throwable thrown there is kept (and
// rethrown by Translator once the native call has returned) and stops the translation, so no Java
// exception is ever pending while native code runs.
package io.hymt;

import java.nio.charset.StandardCharsets;

final class CallbackBridge {
  private final Callback callback;
  Throwable thrown;

  CallbackBridge(Callback callback) { this.callback = callback; }

  // Called from native code: true to go on, false to cancel.
  boolean text(byte[] piece) {
    if (thrown != null) return false;
    try {
      return callback.onText(new String(piece, StandardCharsets.UTF_8));
    } catch (Throwable t) {
      thrown = t;
      return false;
    }
  }

  boolean segment(long index, byte[] text) {
    if (thrown != null) return false;
    try {
      return callback.onSegment((int) index, new String(text, StandardCharsets.UTF_8));
    } catch (Throwable t) {
      thrown = t;
      return false;
    }
  }

  boolean restart() {
    if (thrown != null) return false;
    try {
      return callback.onRestart();
    } catch (Throwable t) {
      thrown = t;
      return false;
    }
  }
}

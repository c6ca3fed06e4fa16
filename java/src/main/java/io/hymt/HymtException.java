// HymtException.java: a failed native call, with its Status and the library's message
// (hymt_last_error of the failing call). Unchecked, as Kotlin and Android code expect.
package io.hymt;

import java.nio.charset.StandardCharsets;

/**
 * A hymt call failed. {@link #status()} says how (switch on it: {@code CANCELLED}, {@code
 * INVALID_ARGUMENT}, {@code NOT_FOUND}, ...); the message is the library's, meant for a user.
 * Using a closed object is not a HymtException but an {@link IllegalStateException}.
 */
public class HymtException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Status status;

  public HymtException(Status status, String message) {
    super(status.statusName() + ": " + message);
    this.status = status;
  }

  /** Called by the native library: the message comes as UTF-8 bytes. */
  HymtException(int code, byte[] message) { this(Status.of(code), new String(message, StandardCharsets.UTF_8)); }

  /** What went wrong. */
  public Status status() { return status; }

  /** The C API's name of the status ("not_found"), as hymt_status_name() gives it. */
  public String statusName() { return status.statusName(); }

  /** The call was cancelled ({@link Translator#cancel()} or a callback returned false). */
  public boolean isCancelled() { return status == Status.CANCELLED; }
}

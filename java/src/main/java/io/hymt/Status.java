// Status.java: the C API's hymt_status codes (include/hymt/hymt.h), one constant per code, with the
// name hymt_status_name() gives ("invalid_argument", ...). OK never appears in an exception.
package io.hymt;

/** The outcome of a native call: the C API's {@code hymt_status}. */
public enum Status {
  OK(0, "ok"),
  /** A bad value: an unknown language, format or option, empty text, a bad token id. */
  INVALID_ARGUMENT(1, "invalid_argument"),
  /** A missing file. */
  NOT_FOUND(2, "not_found"),
  /** A file that cannot be read or written. */
  IO(3, "io"),
  /** A model or document whose bytes break its format. */
  CORRUPT_FILE(4, "corrupt_file"),
  /** Well-formed, but not something hymt runs. */
  UNSUPPORTED(5, "unsupported"),
  OUT_OF_MEMORY(6, "out_of_memory"),
  /** A bug in hymt: please report it with the message. */
  INTERNAL(7, "internal"),
  /** {@link Translator#cancel()} or a {@link Callback} asked to stop. */
  CANCELLED(8, "cancelled"),
  BUFFER_TOO_SMALL(9, "buffer_too_small"),
  /** The translator is already running a call on another thread. */
  BUSY(10, "busy");

  private final int code;
  private final String statusName;

  Status(int code, String statusName) {
    this.code = code;
    this.statusName = statusName;
  }

  /** The numeric hymt_status. */
  public int code() { return code; }

  /** The C API's name for it, as hymt_status_name() returns ("invalid_argument"). */
  public String statusName() { return statusName; }

  /** The constant for a numeric code; INTERNAL for codes this binding does not know. */
  public static Status of(int code) {
    for (Status s : values())
      if (s.code == code) return s;
    return INTERNAL;
  }
}

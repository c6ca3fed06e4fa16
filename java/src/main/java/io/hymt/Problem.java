// Problem.java: an output-check problem that a segment still has (hymt_result_problem).
package io.hymt;

/** A problem the output checks found and could not resolve. */
public final class Problem {
  private final String code, message;

  Problem(String code, String message) {
    this.code = code;
    this.message = message;
  }

  /** "wrong_language", "echo", "lost_placeholder", ... */
  public String code() { return code; }

  /** A sentence for a user; may be null. */
  public String message() { return message; }

  @Override
  public String toString() {
    return message == null ? code : code + ": " + message;
  }
}

// Callback.java: streaming. A functional interface (a Java or Kotlin lambda is one), called on the
// thread that called translate, during the call.
package io.hymt;

/**
 * Receives a translation as it is written. Every method runs on the thread that called {@link
 * Translator#translate(String, Options, Callback)}; returning false cancels the call, which then
 * throws a {@link HymtException} with status {@link Status#CANCELLED}. An exception thrown here
 * also stops the translation and is rethrown by translate.
 */
@FunctionalInterface
public interface Callback {
  /** A new piece of output text (whole characters). Return false to cancel. */
  boolean onText(String piece);

  /**
   * Unit {@code index} (0-based) of the document has its first translation. The final text, after
   * the document's own checks, is in the {@link Result}. Return false to cancel.
   */
  default boolean onSegment(int index, String text) { return true; }

  /**
   * The segment being streamed is being translated again (its output checks failed): discard the
   * text received since the segment started or since the last restart. Return false to cancel.
   */
  default boolean onRestart() { return true; }
}

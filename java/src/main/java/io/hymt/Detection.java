// Detection.java: what hymt_detect_language found.
package io.hymt;

/** The detected language of a text. */
public final class Detection {
  private final String code;
  private final double confidence;

  Detection(String code, double confidence) {
    this.code = code;
    this.confidence = confidence;
  }

  /** The HY-MT code of the most likely language, or null when the text has no letters. */
  public String code() { return code; }

  /** A score in [0, 1] that ranks how sure the detector is (not a calibrated probability). */
  public double confidence() { return confidence; }

  @Override
  public String toString() {
    return code + " (" + confidence + ")";
  }
}

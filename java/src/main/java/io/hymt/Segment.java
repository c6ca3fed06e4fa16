// Segment.java: one document unit of a Result (hymt_segment), copied out of the native result.
package io.hymt;

import java.util.List;

/** One unit of the document (a line, a cue, a JSON value) with its report. */
public final class Segment {
  private final String where, source, output, sourceLang;
  private final long promptTokens, outputTokens, cachedTokens, pieces;
  private final double prefillMs, decodeMs, confidence;
  private final boolean retried, keptSource;
  private final List<Problem> problems;

  Segment(String where, String source, String output, String sourceLang, long[] n, double[] d, List<Problem> problems) {
    this.where = where;
    this.source = source;
    this.output = output;
    this.sourceLang = sourceLang;
    promptTokens = n[0];
    outputTokens = n[1];
    cachedTokens = n[2];
    pieces = n[3];
    retried = n[4] != 0;
    keptSource = n[5] != 0;
    prefillMs = d[0];
    decodeMs = d[1];
    confidence = d[2];
    this.problems = problems;
  }

  /** Where the unit is: "line 1", "cue 3, line 9", "key menu.open". */
  public String where() { return where; }

  /** The unit's source text. */
  public String source() { return source; }

  /** The text that went into the document. */
  public String output() { return output; }

  /** The language used (given or detected) of the first piece; "" if none. */
  public String sourceLang() { return sourceLang; }

  public long promptTokens() { return promptTokens; }

  public long outputTokens() { return outputTokens; }

  /** Prompt tokens reused from the prefix cache. */
  public long cachedTokens() { return cachedTokens; }

  public double prefillMs() { return prefillMs; }

  public double decodeMs() { return decodeMs; }

  /** Mean log-probability of the generated tokens (<= 0; higher is surer). */
  public double confidence() { return confidence; }

  /** Sentences the unit was split into. */
  public long pieces() { return pieces; }

  /** The checks failed once and the unit was translated again. */
  public boolean retried() { return retried; }

  /** No usable translation: the source text was kept. */
  public boolean keptSource() { return keptSource; }

  /** Unresolved problems (empty when the checks passed). */
  public List<Problem> problems() { return problems; }

  @Override
  public String toString() {
    return where + ": " + output;
  }
}

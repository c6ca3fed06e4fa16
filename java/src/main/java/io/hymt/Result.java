// Result.java: a finished translation (hymt_result), copied into Java objects by the native call
// (which frees the native result), so a Result holds no native memory and needs no close().
package io.hymt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The translated document and its per-segment report. */
public final class Result {
  private final String text, json;
  private final boolean checksFailed;
  private final List<Segment> segments;

  private Result(String text, String json, boolean checksFailed, List<Segment> segments) {
    this.text = text;
    this.json = json;
    this.checksFailed = checksFailed;
    this.segments = segments;
  }

  static Result from(Object[] r) {
    Object[] segs = (Object[]) r[3];
    List<Segment> list = new ArrayList<>(segs.length);
    for (Object o : segs) {
      Object[] s = (Object[]) o;
      byte[][] str = (byte[][]) s[0];
      byte[][] pr = (byte[][]) s[3];
      List<Problem> problems = new ArrayList<>(pr.length / 2);
      for (int j = 0; j + 1 < pr.length; j += 2) problems.add(new Problem(Hymt.str(pr[j]), Hymt.str(pr[j + 1])));
      list.add(new Segment(Hymt.str(str[0]), Hymt.str(str[1]), Hymt.str(str[2]), Hymt.str(str[3]), (long[]) s[1],
          (double[]) s[2], Collections.unmodifiableList(problems)));
    }
    return new Result(
        Hymt.str((byte[]) r[0]), Hymt.str((byte[]) r[1]), ((int[]) r[2])[0] != 0, Collections.unmodifiableList(list));
  }

  /** The translated document. */
  public String text() { return text; }

  /** The units of the document, in order. */
  public List<Segment> segments() { return segments; }

  /** Some segment has problems the checks could not resolve (the CLI's exit code 4). */
  public boolean checksFailed() { return checksFailed; }

  /** The report as JSON, exactly what {@code hymt translate --json} prints. */
  public String json() { return json; }

  @Override
  public String toString() {
    return text;
  }
}

// Language.java: one row of the language table (hymt_language).
package io.hymt;

/** A language HY-MT translates. */
public final class Language {
  private final String code, flores, english, chinese;

  Language(String code, String flores, String english, String chinese) {
    this.code = code;
    this.flores = flores;
    this.english = english;
    this.chinese = chinese;
  }

  /** The HY-MT code: "zh", "en", "zh-Hant", "yue", ... (what {@link Options.Builder#to} takes). */
  public String code() { return code; }

  /** The FLORES-200 code: "zho_Hans", "eng_Latn", ... */
  public String flores() { return flores; }

  /** The English name: "Chinese". */
  public String english() { return english; }

  /** The Chinese name: "中文". */
  public String chinese() { return chinese; }

  @Override
  public String toString() {
    return code + " (" + english + ")";
  }
}

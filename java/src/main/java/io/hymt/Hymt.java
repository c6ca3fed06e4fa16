// Hymt.java: the entry point: load a model, the language table, language detection, the version.
// Everything here is thread-safe.
package io.hymt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * hymt, the offline engine for Tencent's HY-MT translation models.
 *
 * <pre>{@code
 * try (Model model = Hymt.loadModel("/data/hy-mt1.5-1.8b-q4_k_m.gguf", new Model.Params().threads(4));
 *      Translator tr = model.translator()) {
 *   Result r = tr.translate("Hello, world.", Options.builder().to("zh").build());
 *   System.out.println(r.text());
 * }
 * }</pre>
 */
public final class Hymt {
  private Hymt() {}

  /** Loads a GGUF model with the default parameters. See {@link Model#load(String, Model.Params)}. */
  public static Model loadModel(String path) { return Model.load(path, null); }

  /** Loads a GGUF model. See {@link Model#load(String, Model.Params)}. */
  public static Model loadModel(String path, Model.Params params) { return Model.load(path, params); }

  /** The library's version, "0.1.0 (commit abc1234)". */
  public static String version() { return str(Native.version()); }

  /** The C API version of the library: major * 1000 + minor. */
  public static int apiVersion() { return Native.apiVersion(); }

  /** The 38 languages HY-MT translates, in the library's order. */
  public static List<Language> languages() {
    int n = Native.languageCount();
    List<Language> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[][] f = Native.language(i);
      out.add(new Language(str(f[0]), str(f[1]), str(f[2]), str(f[3])));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The HY-MT code of a language given by code, FLORES code, English or Chinese name or alias
   * ("fr", "fra_Latn", "French", "法语", "zh-TW"); a {@link HymtException} (INVALID_ARGUMENT, with
   * the list of codes) for others.
   */
  public static String findLanguage(String name) {
    if (name == null) throw new NullPointerException("name");
    return str(Native.findLanguage(cstr(name)));
  }

  /** The most likely language of the text. No model needed. */
  public static Detection detect(String text) {
    if (text == null) throw new NullPointerException("text");
    double[] confidence = new double[1];
    byte[] code = Native.detect(text.getBytes(StandardCharsets.UTF_8), confidence);
    return new Detection(code == null ? null : str(code), confidence[0]);
  }

  static String str(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

  /** UTF-8 bytes of a string the C side reads as NUL-terminated (the native code checks for NULs). */
  static byte[] cstr(String s) { return s == null ? null : s.getBytes(StandardCharsets.UTF_8); }
}

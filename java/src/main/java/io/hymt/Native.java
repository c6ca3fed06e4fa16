// Native.java: every native method of the binding (java/jni/hymt_jni.cpp), in one package-private
// class that loads libhymt_jni on first use. Text crosses the boundary as UTF-8 byte arrays, never
// as jstring: JNI's GetStringUTFChars/NewStringUTF speak modified UTF-8, which breaks characters
// outside the BMP (emoji, rare CJK). Handles are native pointers held in a long.
package io.hymt;

final class Native {
  private Native() {}

  /** An int parameter left at the C API's default. */
  static final int UNSET = Integer.MIN_VALUE;

  static {
    // -Dhymt.library=/path/libhymt_jni.so pins a file; otherwise java.library.path (desktop) or the
    // APK's lib/<abi>/ folder (Android) is searched.
    String lib = System.getProperty("hymt.library");
    if (lib != null && !lib.isEmpty()) {
      System.load(lib);
    } else {
      System.loadLibrary("hymt_jni");
    }
  }

  static native byte[] version();

  static native int apiVersion();

  static native int languageCount();

  /** {code, flores, english, chinese}. */
  static native byte[][] language(int i);

  static native byte[] findLanguage(byte[] name);

  /** The code (null when the text has no letters); confidence[0] receives the score. */
  static native byte[] detect(byte[] text, double[] confidence);

  /** params: {n_threads, n_ctx, max_seqs, kv_type, cache_mb}, UNSET for the default. */
  static native long modelLoad(byte[] path, int[] params);

  static native void modelFree(long model);

  /** {byte[] name, byte[] family, int[] {n_vocab, n_layer, n_embd, n_ctx_train}}. */
  static native Object[] modelInfo(long model);

  static native int[] tokenize(long model, byte[] text, boolean parseSpecial);

  static native byte[] detokenize(long model, int[] ids);

  static native long translatorNew(long model);

  static native void translatorFree(long translator);

  /** Asks the running call to stop (and makes the next callback return "stop"). */
  static native void translatorCancel(long translator);

  /** Clears a cancel request left by an earlier call, before a new call starts. */
  static native void translatorResetCancel(long translator);

  /**
   * Translates text, or the file input to output when input is non-null (text then ignored).
   * strs: {from, to, format, context, glossaryFile, sampling} (null: default); ints: {formatted,
   * topK, loopGuard, maxTokens, checks, retry, segmentTokens, docContext} (UNSET: default); floats:
   * {temperature, topP, repeatPenalty} (NaN: default); glossary: source, target, source, target...
   * Returns {byte[] output, byte[] json, int[] {checksFailed}, Object[] segments}, each segment
   * {byte[][] {where, source, output, sourceLang}, long[] {promptTokens, outputTokens,
   * cachedTokens, pieces, retried, keptSource}, double[] {prefillMs, decodeMs, confidence},
   * byte[][] {code, message, code, message...}}.
   */
  static native Object[] translate(long translator, byte[] text, byte[] input, byte[] output, byte[][] strs, int[] ints,
      float[] floats, long seed, boolean seedSet, byte[][] glossary, byte[][] keep, CallbackBridge callback);
}

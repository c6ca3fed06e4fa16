// Options.java: what one translate call does (hymt_translate_params), built with Options.builder().
// Immutable once built, so one Options may serve many threads; the values are packed at build()
// into the arrays Native.translate takes. A field left unset takes the library's default.
package io.hymt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of a translation: {@code Options.builder().to("zh").build()}. */
public final class Options {
  final byte[][] strs; // {from, to, format, context, glossaryFile, sampling}
  final int[] ints; // {formatted, topK, loopGuard, maxTokens, checks, retry, segmentTokens, docContext}
  final float[] floats; // {temperature, topP, repeatPenalty}
  final long seed;
  final boolean seedSet;
  final byte[][] glossary; // source, target, source, target, ...
  final byte[][] keep;
  private final String to, from, format;

  private Options(Builder b) {
    to = b.to;
    from = b.from;
    format = b.format;
    strs = new byte[][] {Hymt.cstr(b.from), Hymt.cstr(b.to), Hymt.cstr(b.format), Hymt.cstr(b.context),
        Hymt.cstr(b.glossaryFile), Hymt.cstr(b.sampling)};
    ints = new int[] {b.formatted, b.topK, b.loopGuard, b.maxTokens, b.checks, b.retry, b.segmentTokens, b.docContext};
    floats = new float[] {b.temperature, b.topP, b.repeatPenalty};
    seed = b.seed;
    seedSet = b.seedSet;
    glossary = new byte[b.glossary.size() * 2][];
    int i = 0;
    for (Map.Entry<String, String> e : b.glossary.entrySet()) {
      glossary[i++] = Hymt.cstr(e.getKey());
      glossary[i++] = Hymt.cstr(e.getValue());
    }
    keep = new byte[b.keep.size()][];
    for (int k = 0; k < keep.length; k++) keep[k] = Hymt.cstr(b.keep.get(k));
  }

  public static Builder builder() { return new Builder(); }

  /** The target language as given (null when unset). */
  public String to() { return to; }

  /** The source language as given (null: detected per segment). */
  public String from() { return from; }

  /** The document format as given (null: plain text, or from the file's extension). */
  public String format() { return format; }

  /** Builds Options. Setters return the builder; values are checked by the library at translate. */
  public static final class Builder {
    private String to, from, format, context, glossaryFile, sampling;
    private int formatted = Native.UNSET, topK = Native.UNSET, loopGuard = Native.UNSET, maxTokens = Native.UNSET,
                checks = Native.UNSET, retry = Native.UNSET, segmentTokens = Native.UNSET, docContext = Native.UNSET;
    private float temperature = Float.NaN, topP = Float.NaN, repeatPenalty = Float.NaN;
    private long seed;
    private boolean seedSet;
    private final LinkedHashMap<String, String> glossary = new LinkedHashMap<>();
    private final List<String> keep = new ArrayList<>();

    private Builder() {}

    /** Target language (required): a code, FLORES code, English or Chinese name ("zh", "French"). */
    public Builder to(String lang) {
      to = lang;
      return this;
    }

    /** Source language; null or "auto" (the default): detected per segment. */
    public Builder from(String lang) {
      from = lang;
      return this;
    }

    /** "text" (default), "srt", "vtt", "html", "markdown", "json", "yaml". */
    public Builder format(String f) {
      format = f;
      return this;
    }

    /** Preceding text given to the model as context. */
    public Builder context(String text) {
      context = text;
      return this;
    }

    /** Glossary entries: each source term in the text is translated as its target. */
    public Builder glossary(Map<String, String> entries) {
      for (Map.Entry<String, String> e : entries.entrySet()) term(e.getKey(), e.getValue());
      return this;
    }

    /** One glossary entry. */
    public Builder term(String source, String target) {
      if (source == null || target == null) throw new NullPointerException("glossary term");
      glossary.put(source, target);
      return this;
    }

    /** Terms never translated. */
    public Builder keep(String... terms) { return keep(Arrays.asList(terms)); }

    /** Terms never translated. */
    public Builder keep(List<String> terms) {
      for (String t : terms) {
        if (t == null) throw new NullPointerException("keep term");
        keep.add(t);
      }
      return this;
    }

    /** A TSV, CSV or JSON glossary file, as {@code hymt translate --glossary} reads. */
    public Builder glossaryFile(String path) {
      glossaryFile = path;
      return this;
    }

    /** The text carries {@code <sn></sn>} format tags (the formatted template). */
    public Builder formatted(boolean on) {
      formatted = on ? 1 : 0;
      return this;
    }

    /** "greedy" (default; deterministic, with the n-gram loop guard) or "official" (the model cards'). */
    public Builder sampling(String preset) {
      sampling = preset;
      return this;
    }

    /** Sampling temperature (0 = greedy); overrides the preset. */
    public Builder temperature(float t) {
      temperature = nonNegative("temperature", t);
      return this;
    }

    /** Nucleus sampling mass in (0, 1] (1 = off); overrides the preset. */
    public Builder topP(float p) {
      topP = nonNegative("topP", p);
      return this;
    }

    /** Keep the k most likely tokens (0 = off); overrides the preset. */
    public Builder topK(int k) {
      topK = (int) nonNegative("topK", k);
      return this;
    }

    /** Repetition penalty, HF semantics (1 = off); overrides the preset. */
    public Builder repeatPenalty(float p) {
      repeatPenalty = nonNegative("repeatPenalty", p);
      return this;
    }

    /** Seed of the sampling PRNG (>= 0; the preset's is 0). */
    public Builder seed(long s) {
      if (s < 0) throw new HymtException(Status.INVALID_ARGUMENT, "seed must be >= 0, got " + s);
      seed = s;
      seedSet = true;
      return this;
    }

    /** Ban tokens that would close an n-gram repetition loop (default on). */
    public Builder loopGuard(boolean on) {
      loopGuard = on ? 1 : 0;
      return this;
    }

    /** Output tokens per segment (default 0: 2 x source tokens + 64). */
    public Builder maxTokens(int n) {
      maxTokens = (int) nonNegative("maxTokens", n);
      return this;
    }

    /** Run the output checks (default on). */
    public Builder checks(boolean on) {
      checks = on ? 1 : 0;
      return this;
    }

    /** Retry a segment once when a check fails (default on). */
    public Builder retry(boolean on) {
      retry = on ? 1 : 0;
      return this;
    }

    /** Documents: split longer paragraphs into sentences under this many tokens (default 256; 0: never). */
    public Builder segmentTokens(int n) {
      segmentTokens = (int) nonNegative("segmentTokens", n);
      return this;
    }

    /** Documents: preceding segments passed as context (default 2; 0: off). */
    public Builder docContext(int n) {
      docContext = (int) nonNegative("docContext", n);
      return this;
    }

    public Options build() { return new Options(this); }

    private static float nonNegative(String name, float v) {
      if (!(v >= 0)) throw new HymtException(Status.INVALID_ARGUMENT, name + " must be >= 0, got " + v);
      return v;
    }
  }
}

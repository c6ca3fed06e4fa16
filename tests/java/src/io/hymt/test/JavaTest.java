// JavaTest.java: the Java binding's tests, one case per run (tests/java/java_test.py drives them and
// compares what they write with the hymt CLI's own output; nothing here holds expected translations).
// A plain main with checks (no JUnit on Debian's test machines): every failed check is printed and
// the run exits 1.
//
// Cases (args: CASE MODEL [FILES...]):
//   translate MODEL CASES OUT  each case line "from \t to \t b64(text) [\t key=b64(value)]..." (keys:
//                              format, keep, term "src=tgt", maxtokens) translated; OUT gets
//                              "b64(text) \t checksFailed" per case
//   threads MODEL CASES N      N threads, each with its own Translator on one Model, give one thread's results
//   stream MODEL CASES         streamed pieces concatenate to the result and to the unstreamed text
//   cancel MODEL CASES         callback false, cancel() from another thread, close() during a call, throws
//   errors MODEL TMPDIR        every error path: status, statusName, message
//   closed MODEL CASES         closed Model / Translator: IllegalStateException, never a crash
//   tokenize MODEL CASES OUT   lines "0|1 \t b64(text)" tokenized; OUT gets comma-separated ids per line
//   unicode MODEL              emoji, CJK extension B, combining marks through tokenize/detokenize and translate
//   info MODEL OUT             info(), languages(), detect(), version() written for comparison with the CLI
//   file MODEL IN OUT JSON     translateFile(IN, OUT) with docContext 0; JSON gets Result.json()
package io.hymt.test;

import io.hymt.Callback;
import io.hymt.Detection;
import io.hymt.Hymt;
import io.hymt.HymtException;
import io.hymt.Language;
import io.hymt.Model;
import io.hymt.ModelInfo;
import io.hymt.Options;
import io.hymt.Result;
import io.hymt.Segment;
import io.hymt.Status;
import io.hymt.Translator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

public final class JavaTest {
  private static int failures = 0;
  private static int checks = 0;

  static void check(boolean ok, String what) {
    checks++;
    if (!ok) {
      failures++;
      System.err.println("FAIL: " + what);
    }
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs body, which must throw a HymtException with this status (null: any); returns it. */
  static HymtException expectHymt(Status status, String what, Body body) {
    try {
      body.run();
      check(false, what + ": no exception, expected HymtException " + status);
    } catch (HymtException e) {
      check(status == null || e.status() == status,
          what + ": status " + e.status() + ", expected " + status + " (" + e.getMessage() + ")");
      check(e.statusName().equals(e.status().statusName()) && e.getMessage().startsWith(e.statusName() + ": ")
              && e.getMessage().length() > e.statusName().length() + 2,
          what + ": message '" + e.getMessage() + "' does not carry the status name and the library's message");
      return e;
    } catch (Throwable t) {
      check(false, what + ": threw " + t + ", expected HymtException " + status);
    }
    return null;
  }

  static void expectThrows(Class<? extends Throwable> cls, String what, Body body) {
    try {
      body.run();
      check(false, what + ": no exception, expected " + cls.getSimpleName());
    } catch (Throwable t) {
      check(cls.isInstance(t), what + ": threw " + t + ", expected " + cls.getSimpleName());
    }
  }

  // ---- Cases file --------------------------------------------------------------------------

  static final class Case {
    String from, to, text, format;
    List<String> keep = new ArrayList<>();
    List<String[]> terms = new ArrayList<>();
    int maxTokens = -1;

    Options options() {
      Options.Builder b = Options.builder().from(from).to(to).format(format).keep(keep);
      for (String[] t : terms) b.term(t[0], t[1]);
      if (maxTokens >= 0) b.maxTokens(maxTokens);
      return b.build();
    }
  }

  static String b64d(String s) { return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }

  static String b64e(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

  static List<Case> readCases(String path) throws IOException {
    List<Case> out = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8)) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t");
      Case c = new Case();
      c.from = f[0].isEmpty() ? null : f[0];
      c.to = f[1];
      c.text = b64d(f[2]);
      for (int i = 3; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        String k = f[i].substring(0, eq), v = b64d(f[i].substring(eq + 1));
        if (k.equals("format"))
          c.format = v;
        else if (k.equals("keep"))
          c.keep.add(v);
        else if (k.equals("term"))
          c.terms.add(v.split("=", 2));
        else if (k.equals("maxtokens"))
          c.maxTokens = Integer.parseInt(v);
        else
          throw new IllegalArgumentException("case key " + k);
      }
      out.add(c);
    }
    return out;
  }

  static Model load(String model) { return Hymt.loadModel(model, new Model.Params().threads(2)); }

  // ---- Cases -------------------------------------------------------------------------------

  static void translate(String model, String cases, String out) throws IOException {
    List<Case> cs = readCases(cases);
    StringBuilder sb = new StringBuilder();
    try (Model m = load(model); Translator tr = m.translator()) {
      for (Case c : cs) {
        Result r = tr.translate(c.text, c.options());
        sb.append(b64e(r.text())).append('\t').append(r.checksFailed() ? 1 : 0).append('\n');
        check(!r.segments().isEmpty(), "a result without segments");
        check(r.json().contains("\"segments\""), "json() has no segments");
      }
    }
    Files.write(Paths.get(out), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static void threads(String model, String cases, int n) throws Exception {
    List<Case> cs = readCases(cases);
    try (Model m = load(model)) {
      String[] one = new String[cs.size()];
      try (Translator tr = m.translator()) {
        for (int i = 0; i < cs.size(); i++) one[i] = tr.translate(cs.get(i).text, cs.get(i).options()).text();
      }
      String[][] got = new String[n][cs.size()];
      Throwable[] errors = new Throwable[n];
      Thread[] ts = new Thread[n];
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < n; t++) {
        final int id = t;
        ts[t] = new Thread(() -> {
          try (Translator tr = m.translator()) {
            start.await();
            // Each thread starts at another case, so different sentences are decoded together.
            for (int k = 0; k < cs.size(); k++) {
              int i = (k + id * 7) % cs.size();
              got[id][i] = tr.translate(cs.get(i).text, cs.get(i).options()).text();
            }
          } catch (Throwable e) {
            errors[id] = e;
          }
        }, "translator-" + t);
        ts[t].start();
      }
      start.countDown();
      for (Thread t : ts) t.join();
      for (int t = 0; t < n; t++) {
        check(errors[t] == null, "thread " + t + " threw " + errors[t]);
        for (int i = 0; i < cs.size(); i++)
          check(one[i].equals(got[t][i]),
              "thread " + t + " case " + i + ": '" + got[t][i] + "', one thread: '" + one[i] + "'");
      }
      System.out.println(n + " threads x " + cs.size() + " translations on one model equal one thread's");
    }
  }

  static void stream(String model, String cases) throws IOException {
    List<Case> cs = readCases(cases);
    int multi = 0, whole = 0;
    try (Model m = load(model); Translator tr = m.translator()) {
      for (Case c : cs) {
        String plain = tr.translate(c.text, c.options()).text();
        StringBuilder all = new StringBuilder(), unit = new StringBuilder();
        List<Integer> segIdx = new ArrayList<>();
        List<String> segText = new ArrayList<>(), streamedUnits = new ArrayList<>();
        int[] count = {0};
        Result r = tr.translate(c.text, c.options(), new Callback() {
          @Override
          public boolean onText(String piece) {
            check(!piece.isEmpty(), "an empty piece");
            all.append(piece);
            unit.append(piece);
            count[0]++;
            return true;
          }

          @Override
          public boolean onSegment(int index, String text) {
            segIdx.add(index);
            segText.add(text);
            streamedUnits.add(unit.toString());
            unit.setLength(0);
            return true;
          }

          @Override
          public boolean onRestart() {
            unit.setLength(0); // the text since the unit started is discarded
            all.setLength(0);
            for (String u : streamedUnits) all.append(u);
            return true;
          }
        });
        if (count[0] > 1) multi++;
        // Streaming changes how a document is scheduled (one segment at a time), never its result.
        check(r.text().equals(plain), "streamed call's result '" + r.text() + "' != unstreamed '" + plain + "'");
        check(segIdx.size() == r.segments().size(),
            "onSegment called " + segIdx.size() + " times for " + r.segments().size() + " segments");
        for (int i = 0; i < segIdx.size(); i++) {
          check(segIdx.get(i) == i, "onSegment index " + segIdx.get(i) + " at call " + i);
          if (i < r.segments().size())
            check(segText.get(i).equals(r.segments().get(i).output()),
                "onSegment text '" + segText.get(i) + "' != segment output '" + r.segments().get(i).output() + "'");
        }
        // Plain text of one sentence: the pieces are the whole translation. (Between the units of a
        // document the pieces leave out the document's own text: newlines, cue timings, JSON.)
        boolean oneSentence = c.format == null && r.segments().size() == 1 && r.segments().get(0).pieces() == 1
            && !r.segments().get(0).keptSource();
        if (oneSentence) {
          whole++;
          check(all.toString().equals(plain.trim()), "pieces '" + all + "' != text '" + plain + "'");
        }
      }
      // A lambda is a Callback (onText only).
      Case c = cs.get(0);
      StringBuilder sb = new StringBuilder();
      Result r = tr.translate(c.text, c.options(), piece -> sb.append(piece) != null);
      check(sb.toString().equals(r.text().trim()), "lambda callback pieces '" + sb + "' != '" + r.text() + "'");
    }
    check(multi > 0, "no translation streamed in more than one piece");
    check(whole > 0, "no one-sentence case");
    System.out.println(cs.size() + " streamed translations equal the unstreamed ones (" + multi + " in several pieces; "
        + whole + " whose pieces make the whole text)");
  }

  // A document long enough that a cancel always lands while it runs.
  static String longDocument(List<Case> cs, int repeat) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < repeat; k++)
      for (Case c : cs)
        if ("en".equals(c.from) && c.format == null) sb.append(c.text).append('\n');
    return sb.toString();
  }

  static void cancel(String model, String cases) throws Exception {
    List<Case> cs = readCases(cases);
    Case first = null;
    for (Case c : cs)
      if ("en".equals(c.from) && c.format == null) {
        first = c;
        break;
      }
    final Case c0 = first;
    final Options opts = Options.builder().from("en").to(c0.to).build();
    final String doc = longDocument(cs, 3);
    try (Model m = load(model); Translator tr = m.translator()) {
      String expected = tr.translate(c0.text, opts).text();

      // 1. The callback returns false.
      int[] calls = {0};
      expectHymt(Status.CANCELLED, "callback returning false", () -> tr.translate(doc, opts, p -> ++calls[0] < 3));
      check(calls[0] == 3, "callback called " + calls[0] + " times after returning false, expected 3");
      check(tr.translate(c0.text, opts).text().equals(expected), "translator unusable after a cancel");

      // 2. cancel() from another thread while the callback waits for it.
      CountDownLatch firstPiece = new CountDownLatch(1), cancelled = new CountDownLatch(1);
      Thread canceller = new Thread(() -> {
        try {
          firstPiece.await();
          tr.cancel();
          cancelled.countDown();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      canceller.start();
      int[] after = {0};
      HymtException e2 =
          expectHymt(Status.CANCELLED, "cancel() from another thread (streaming)", () -> tr.translate(doc, opts, p -> {
            if (firstPiece.getCount() > 0) {
              firstPiece.countDown();
              try {
                cancelled.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
              }
            } else {
              after[0]++;
            }
            return true;
          }));
      canceller.join();
      check(e2 == null || e2.isCancelled(), "isCancelled()");
      check(after[0] == 0, after[0] + " pieces arrived after cancel()");
      check(tr.translate(c0.text, opts).text().equals(expected), "translator unusable after cancel()");

      // 3. cancel() from another thread without a callback: the canceller keeps asking until the call ends.
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      AtomicBoolean done = new AtomicBoolean();
      Thread worker = new Thread(() -> {
        try {
          tr.translate(doc, opts);
        } catch (Throwable t) {
          outcome.set(t);
        }
        done.set(true);
      });
      worker.start();
      while (!done.get()) {
        tr.cancel();
        Thread.sleep(2);
      }
      worker.join();
      Throwable t3 = outcome.get();
      check(t3 instanceof HymtException && ((HymtException) t3).status() == Status.CANCELLED,
          "cancel() without a callback: " + t3);
      tr.cancel(); // nothing running: no effect on the next call
      check(tr.translate(c0.text, opts).text().equals(expected),
          "a cancel() with nothing running affected the next call");

      // 4. A callback's exception stops the call and comes out of translate as itself.
      RuntimeException boom = new IllegalArgumentException("from the callback");
      try {
        tr.translate(doc, opts, p -> { throw boom; });
        check(false, "a throwing callback: no exception");
      } catch (Throwable t) {
        check(t == boom, "a throwing callback: got " + t + ", expected the callback's own exception");
      }
      Error err = new AssertionError("an Error from the callback");
      try {
        tr.translate(doc, opts, new Callback() {
          @Override
          public boolean onText(String piece) {
            return true;
          }

          @Override
          public boolean onSegment(int index, String text) {
            throw err;
          }
        });
        check(false, "a throwing onSegment: no exception");
      } catch (Throwable t) {
        check(t == err, "a throwing onSegment: got " + t);
      }
      check(tr.translate(c0.text, opts).text().equals(expected), "translator unusable after a callback threw");

      // 5. A second call on a busy translator: BUSY, the running call unaffected.
      CountDownLatch inside = new CountDownLatch(1), busyChecked = new CountDownLatch(1);
      Thread other = new Thread(() -> {
        try {
          inside.await();
          expectHymt(Status.BUSY, "a concurrent call on one translator", () -> tr.translate(c0.text, opts));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          busyChecked.countDown();
        }
      });
      other.start();
      String streamed = tr.translate(c0.text, opts, p -> {
                            inside.countDown();
                            try {
                              busyChecked.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException ie) {
                              Thread.currentThread().interrupt();
                            }
                            return true;
                          }).text();
      other.join();
      check(streamed.equals(expected), "the running call after a BUSY one: '" + streamed + "'");
    }

    // 6. close() from another thread while a call runs: the call is cancelled, close waits for it.
    try (Model m = load(model)) {
      Translator tr = m.translator();
      CountDownLatch inside = new CountDownLatch(1);
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread worker = new Thread(() -> {
        try {
          tr.translate(doc, opts, p -> {
            inside.countDown();
            return true;
          });
        } catch (Throwable t) {
          outcome.set(t);
        }
      });
      worker.start();
      check(inside.await(60, TimeUnit.SECONDS), "no piece arrived");
      tr.close(); // returns once the call has ended and the translator is freed
      worker.join();
      Throwable t = outcome.get();
      check(t instanceof HymtException && ((HymtException) t).isCancelled(), "the call close() interrupted: " + t);
      expectThrows(IllegalStateException.class, "translate after close()", () -> tr.translate("x", opts));

      // 7. close() from the call's own callback.
      Translator tr2 = m.translator();
      expectHymt(Status.CANCELLED, "close() from the callback", () -> tr2.translate(doc, opts, p -> {
        tr2.close();
        return true;
      }));
      check(tr2.isClosed(), "isClosed after close() in a callback");
      expectThrows(
          IllegalStateException.class, "translate after close() in a callback", () -> tr2.translate("x", opts));
    }
    System.out.println(
        "cancellation: callback, cancel() from another thread, close() during a call, throwing callbacks, BUSY");
  }

  static void errors(String model, String tmp) throws Exception {
    Path dir = Paths.get(tmp);
    Files.createDirectories(dir);
    expectHymt(Status.NOT_FOUND, "a missing model", () -> Hymt.loadModel(dir.resolve("missing.gguf").toString()));
    Path garbage = dir.resolve("garbage.gguf");
    Files.write(garbage, "this is not a GGUF file at all, just some text".getBytes(StandardCharsets.UTF_8));
    expectHymt(Status.CORRUPT_FILE, "a model file with a bad magic", () -> Hymt.loadModel(garbage.toString()));
    byte[] full = Files.readAllBytes(Paths.get(model));
    Path truncated = dir.resolve("truncated.gguf");
    Files.write(truncated, Arrays.copyOf(full, full.length / 2));
    expectHymt(Status.CORRUPT_FILE, "a truncated model file", () -> Hymt.loadModel(truncated.toString()));
    Path empty = dir.resolve("empty.gguf");
    Files.write(empty, new byte[0]);
    expectHymt(Status.CORRUPT_FILE, "an empty model file", () -> Hymt.loadModel(empty.toString()));
    expectHymt(null, "a folder as the model", () -> Hymt.loadModel(dir.toString()));
    expectHymt(Status.INVALID_ARGUMENT, "a NUL in the model path", () -> Hymt.loadModel(model + "\0.x"));
    expectThrows(NullPointerException.class, "a null model path", () -> Hymt.loadModel(null));

    expectHymt(Status.INVALID_ARGUMENT, "a negative nCtx", () -> Hymt.loadModel(model, new Model.Params().nCtx(-5)));
    expectHymt(Status.INVALID_ARGUMENT, "maxSeqs 0", () -> Hymt.loadModel(model, new Model.Params().maxSeqs(0)));
    expectHymt(
        Status.INVALID_ARGUMENT, "a negative cacheMb", () -> Hymt.loadModel(model, new Model.Params().cacheMb(-1)));
    try (Model m = Hymt.loadModel(
             model, new Model.Params().threads(1).nCtx(1024).maxSeqs(2).kvType(Model.KvType.F32).cacheMb(0))) {
      check(m.info().layers() > 0, "a model with every parameter set");
    }

    expectHymt(Status.INVALID_ARGUMENT, "findLanguage(Klingon)", () -> Hymt.findLanguage("Klingon"));
    check(Hymt.findLanguage("French").equals("fr") && Hymt.findLanguage("fra_Latn").equals("fr"), "findLanguage");

    try (Model m = load(model); Translator tr = m.translator()) {
      String text = "Hello.";
      expectHymt(Status.INVALID_ARGUMENT, "an unknown target language",
          () -> tr.translate(text, Options.builder().to("xx-nope").build()));
      expectHymt(Status.INVALID_ARGUMENT, "an unknown source language",
          () -> tr.translate(text, Options.builder().from("Klingon").to("zh").build()));
      expectHymt(Status.INVALID_ARGUMENT, "no target language", () -> tr.translate(text, Options.builder().build()));
      expectHymt(Status.INVALID_ARGUMENT, "an unknown format",
          () -> tr.translate(text, Options.builder().to("zh").format("docx").build()));
      expectHymt(Status.INVALID_ARGUMENT, "empty text", () -> tr.translate("", Options.builder().to("zh").build()));
      expectHymt(Status.INVALID_ARGUMENT, "an unknown sampling preset",
          () -> tr.translate(text, Options.builder().to("zh").sampling("creative").build()));
      expectHymt(Status.INVALID_ARGUMENT, "a NUL in the language",
          () -> tr.translate(text, Options.builder().to("zh\0en").build()));
      expectHymt(Status.INVALID_ARGUMENT, "a negative temperature", () -> Options.builder().temperature(-0.5f));
      expectHymt(Status.INVALID_ARGUMENT, "a negative seed", () -> Options.builder().seed(-3));
      expectHymt(Status.CORRUPT_FILE, "a malformed JSON document",
          () -> tr.translate("{\"a\": \"Hello\", ", Options.builder().to("zh").format("json").build()));
      expectHymt(Status.NOT_FOUND, "a missing glossary file",
          ()
              -> tr.translate(
                  text, Options.builder().to("zh").glossaryFile(dir.resolve("nope.tsv").toString()).build()));
      expectHymt(Status.NOT_FOUND, "translateFile of a missing input",
          ()
              -> tr.translateFile(dir.resolve("missing.txt").toString(), dir.resolve("out.txt").toString(),
                  Options.builder().to("zh").build()));
      Path in = dir.resolve("in.txt");
      Files.write(in, "Hello.\n".getBytes(StandardCharsets.UTF_8));
      expectHymt(null, "translateFile into a missing folder",
          ()
              -> tr.translateFile(
                  in.toString(), dir.resolve("no/such/dir/out.txt").toString(), Options.builder().to("zh").build()));
      check(!Files.exists(dir.resolve("no")), "a failed translateFile created files");
      expectHymt(Status.INVALID_ARGUMENT, "detokenize of an id outside the vocabulary",
          () -> m.detokenize(new int[] {1, m.info().vocabSize() + 5}));
      expectHymt(Status.INVALID_ARGUMENT, "detokenize of a negative id", () -> m.detokenize(new int[] {-1}));
      expectThrows(
          NullPointerException.class, "null text", () -> tr.translate(null, Options.builder().to("zh").build()));
      expectThrows(NullPointerException.class, "null options", () -> tr.translate(text, null));
      expectThrows(NullPointerException.class, "null ids", () -> m.detokenize(null));
      // After all of that the translator still works.
      check(!tr.translate(text, Options.builder().from("en").to("zh").build()).text().isEmpty(),
          "translator after errors");
    }
    System.out.println("error paths: " + checks + " checks");
  }

  static void closed(String model, String cases) throws Exception {
    List<Case> cs = readCases(cases);
    Case c = cs.get(0);
    Model m = load(model);
    Translator tr = m.translator();
    String before = tr.translate(c.text, c.options()).text();
    m.close();
    m.close(); // twice: nothing
    check(m.isClosed(), "isClosed");
    expectThrows(IllegalStateException.class, "translator() on a closed model", m::translator);
    expectThrows(IllegalStateException.class, "tokenize on a closed model", () -> m.tokenize("x", false));
    expectThrows(IllegalStateException.class, "detokenize on a closed model", () -> m.detokenize(new int[] {1}));
    expectThrows(IllegalStateException.class, "info on a closed model", m::info);
    // A translator keeps its model alive.
    check(tr.translate(c.text, c.options()).text().equals(before), "a translator after its Model was closed");
    tr.close();
    tr.close();
    tr.cancel(); // closed: nothing
    check(tr.isClosed(), "isClosed");
    expectThrows(
        IllegalStateException.class, "translate on a closed translator", () -> tr.translate(c.text, c.options()));
    expectThrows(IllegalStateException.class, "translate (streaming) on a closed translator",
        () -> tr.translate(c.text, c.options(), p -> true));
    expectThrows(IllegalStateException.class, "translateFile on a closed translator",
        () -> tr.translateFile("a", "b", c.options()));

    // Many threads hammering a model while another closes it: each call either works or throws
    // IllegalStateException, and the JVM survives.
    Model m2 = load(model);
    Thread[] ts = new Thread[4];
    AtomicReference<Throwable> bad = new AtomicReference<>();
    for (int t = 0; t < ts.length; t++) {
      ts[t] = new Thread(() -> {
        for (int k = 0; k < 2000; k++) {
          try {
            m2.tokenize(c.text, false);
            m2.info();
            m2.translator().close();
          } catch (IllegalStateException e) {
            // closed meanwhile
          } catch (Throwable e) {
            bad.set(e);
          }
        }
      });
      ts[t].start();
    }
    Thread.sleep(20);
    m2.close();
    for (Thread t : ts) t.join();
    check(bad.get() == null, "a call racing close(): " + bad.get());
    System.out.println("closed objects: IllegalStateException, translators outlive their model");
  }

  static void tokenize(String model, String cases, String out) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Model m = load(model)) {
      for (String line : Files.readAllLines(Paths.get(cases), StandardCharsets.UTF_8)) {
        if (line.isEmpty()) continue;
        String[] f = line.split("\t");
        String text = b64d(f[1]);
        int[] ids = m.tokenize(text, f[0].equals("1"));
        for (int i = 0; i < ids.length; i++) sb.append(i == 0 ? "" : ",").append(ids[i]);
        sb.append('\n');
        if (f[0].equals("0")) check(m.detokenize(ids).equals(text), "detokenize(tokenize(x)) != x for " + text);
      }
    }
    Files.write(Paths.get(out), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static void unicode(String model) {
    String[] texts = {"😀", "Family: 👩‍👩‍👧‍👦, flags 🇨🇳🇫🇷, skin 👍🏽",
        "𠀀𠀁𪚥 (CJK extension B)", "中文，日本語、한국어", "e\u0301 (combining acute), \u00e9 (precomposed)",
        "Mixed: Hello 世界 🌍 Привет мир! مرحبا", "\u0000 NUL inside", "zero\u200Bwidth\uFEFFBOM",
        "tab\tnewline\nCR\r\n", "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02"};
    try (Model m = load(model); Translator tr = m.translator()) {
      for (String t : texts) {
        int[] ids = m.tokenize(t, false);
        check(ids.length > 0, "no tokens for " + t);
        String back = m.detokenize(ids);
        check(back.equals(t), "round trip of '" + t + "' gave '" + back + "'");
      }
      // A lone surrogate is not Unicode: Java's encoder makes it '?', and the round trip keeps that.
      check(m.detokenize(m.tokenize("a\uD800b", false)).equals("a?b"), "a lone surrogate");
      // Translating text with emoji: whole characters in every piece, and no crash.
      StringBuilder sb = new StringBuilder();
      // (The demo model may write ill-formed bytes, which the library turns into U+FFFD; the
      // output checks then flag the segment and translate it again, so the callback honours
      // onRestart. A piece cut inside a character would differ from the result.)
      int[] restarts = {0};
      Result r = tr.translate("I love 🍕 and 🍣! 😀", Options.builder().from("en").to("zh").build(), new Callback() {
        @Override public boolean onText(String p) {
          sb.append(p);
          return true;
        }
        @Override public boolean onRestart() {
          sb.setLength(0);
          ++restarts[0];
          return true;
        }
      });
      int retried = 0;
      for (Segment s : r.segments()) retried += s.retried() ? 1 : 0;
      check(restarts[0] == retried, "emoji: " + restarts[0] + " restarts for " + retried + " retried segments");
      check(sb.toString().equals(r.text().trim()), "emoji: pieces '" + sb + "' != the result '" + r.text() + "'");
      check(Hymt.detect("😀🍕").code() == null, "detect of emoji only: " + Hymt.detect("😀🍕"));
    }
    System.out.println("unicode: " + texts.length + " texts round-trip through tokenize/detokenize");
  }

  static void info(String model, String out) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Model m = load(model)) {
      ModelInfo i = m.info();
      sb.append("info\t")
          .append(i.name())
          .append('\t')
          .append(i.family())
          .append('\t')
          .append(i.vocabSize())
          .append('\t')
          .append(i.layers())
          .append('\t')
          .append(i.embeddingSize())
          .append('\t')
          .append(i.trainingContext())
          .append('\n');
    }
    for (Language l : Hymt.languages())
      sb.append("lang\t")
          .append(l.code())
          .append('\t')
          .append(l.flores())
          .append('\t')
          .append(l.english())
          .append('\t')
          .append(l.chinese())
          .append('\n');
    String[] probes = {"Bonjour tout le monde, comment allez-vous aujourd'hui ?", "这是一个中文句子。",
        "The quick brown fox jumps over the lazy dog.", "12345 !!!", ""};
    for (String p : probes) {
      Detection d = Hymt.detect(p);
      check(d.confidence() >= 0 && d.confidence() <= 1, "confidence " + d.confidence());
      check(d.code() != null || d.confidence() == 0, "no language but confidence " + d.confidence());
      sb.append("detect\t").append(b64e(p)).append('\t').append(d.code() == null ? "-" : d.code()).append('\n');
    }
    sb.append("version\t").append(Hymt.version()).append('\t').append(Hymt.apiVersion()).append('\n');
    Files.write(Paths.get(out), sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  static void file(String model, String in, String out, String json) throws IOException {
    try (Model m = load(model); Translator tr = m.translator()) {
      Options o = Options.builder().from("en").to("zh").docContext(0).build();
      Result r = tr.translateFile(in, out, o);
      check(!r.segments().isEmpty(), "translateFile: no segments");
      for (Segment s : r.segments()) {
        check(!s.where().isEmpty() && !s.source().isEmpty(), "segment where/source");
        check(s.promptTokens() > 0 && s.outputTokens() > 0 && s.pieces() >= 1, "segment counts " + s.promptTokens());
        check(s.prefillMs() >= 0 && s.decodeMs() >= 0 && s.confidence() <= 0, "segment timings/confidence");
        check(s.sourceLang().equals("en"), "segment sourceLang " + s.sourceLang());
      }
      String written = new String(Files.readAllBytes(Paths.get(out)), StandardCharsets.UTF_8);
      check(written.equals(r.text()), "the written file differs from Result.text()");
      Files.write(Paths.get(json), r.json().getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void main(String[] args) throws Exception {
    String c = args[0], model = args[1];
    switch (c) {
      case "translate": translate(model, args[2], args[3]); break;
      case "threads": threads(model, args[2], Integer.parseInt(args[3])); break;
      case "stream": stream(model, args[2]); break;
      case "cancel": cancel(model, args[2]); break;
      case "errors": errors(model, args[2]); break;
      case "closed": closed(model, args[2]); break;
      case "tokenize": tokenize(model, args[2], args[3]); break;
      case "unicode": unicode(model); break;
      case "info": info(model, args[2]); break;
      case "file": file(model, args[2], args[3], args[4]); break;
      default: throw new IllegalArgumentException("unknown case " + c);
    }
    if (failures > 0) {
      System.err.println(failures + " of " + checks + " checks failed");
      System.exit(1);
    }
    System.out.println("ok (" + checks + " checks)");
  }
}

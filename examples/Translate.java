// Translate.java: the smallest program over the Java binding (package io.hymt): reads standard input,
// translates it into the language given as the argument, prints the translation, as
// `hymt translate --to LANG` does. tests/java runs it and compares with the CLI.
//
//   javac -cp build/lib/hymt.jar -d out examples/Translate.java
//   echo "Hello, world." | java -Djava.library.path=build/lib -cp build/lib/hymt.jar:out Translate zh \
//       [--from en] [--model FILE.gguf] [--stream]
//
// The model defaults to $HYMT_MODEL. With --stream the text is printed piece by piece as it is written
// (meant for one paragraph, as `hymt translate` streams to a terminal).
import io.hymt.Callback;
import io.hymt.Hymt;
import io.hymt.HymtException;
import io.hymt.Model;
import io.hymt.Options;
import io.hymt.Result;
import io.hymt.Translator;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public final class Translate {
  public static void main(String[] args) throws IOException {
    String to = null, from = null, model = System.getenv("HYMT_MODEL");
    boolean stream = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--from") && i + 1 < args.length)
        from = args[++i];
      else if (args[i].equals("--model") && i + 1 < args.length)
        model = args[++i];
      else if (args[i].equals("--stream"))
        stream = true;
      else if (to == null && !args[i].startsWith("--"))
        to = args[i];
      else
        usage("unexpected argument " + args[i]);
    }
    if (to == null) usage("give the target language");
    if (model == null) usage("give --model FILE.gguf or set HYMT_MODEL");

    // Bytes in and out, in UTF-8 whatever the locale says.
    String text = new String(readAll(System.in), StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");

    Options options = Options.builder().from(from).to(to).build();
    try (Model m = Hymt.loadModel(model, new Model.Params().threads(2)); Translator tr = m.translator()) {
      if (stream) {
        // Pieces as they come; a restart (the checks rejected the text) starts the line again.
        StringBuilder shown = new StringBuilder();
        Callback print = new Callback() {
          @Override
          public boolean onText(String piece) {
            out.print(piece);
            out.flush();
            shown.append(piece);
            return true;
          }

          @Override
          public boolean onRestart() {
            out.print("\r\033[K");
            shown.setLength(0);
            return true;
          }
        };
        String t = tr.translate(text, options, print).text();
        // The document around the streamed text (its final newline), or, when the final text is not
        // what was streamed (the source kept, several paragraphs), the whole translation again.
        out.print(t.startsWith(shown.toString()) ? t.substring(shown.length()) : "\n" + t);
        if (!t.endsWith("\n")) out.println();
      } else {
        Result r = tr.translate(text, options);
        out.print(r.text());
        if (!r.text().endsWith("\n")) out.println(); // as the CLI: the output ends with a newline
      }
    } catch (HymtException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(e.status() == io.hymt.Status.INVALID_ARGUMENT ? 2 : 1);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0;) b.write(buf, 0, n);
    return b.toByteArray();
  }

  private static void usage(String why) {
    System.err.println(
        "Translate: " + why + "\nusage: Translate LANG [--from LANG] [--model FILE.gguf] [--stream] < text");
    System.exit(2);
  }
}

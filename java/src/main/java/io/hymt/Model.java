// Model.java: a loaded GGUF model (hymt_model): shared read-only by any number of threads, each
// translating through its own Translator. A read-write lock keeps close() from freeing the native
// model while another thread is inside a call on it; after close every method throws
// IllegalStateException. Translators made earlier keep working: they hold the native model alive.
package io.hymt;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A loaded model. Thread-safe; close it when done (try-with-resources, Kotlin's use {}). */
public final class Model implements AutoCloseable {
  /** The element type of the KV cache. */
  public enum KvType {
    F16(0),
    F32(1);

    final int code;

    KvType(int code) { this.code = code; }
  }

  /** Load parameters; every field left unset takes the library's default. */
  public static final class Params {
    int threads = Native.UNSET, nCtx = Native.UNSET, maxSeqs = Native.UNSET, cacheMb = Native.UNSET;
    KvType kvType;

    /** Compute threads; default 2; <= 0: every hardware thread. */
    public Params threads(int n) {
      threads = n;
      return this;
    }

    /** KV-cache positions per segment; default 4096. */
    public Params nCtx(int n) {
      nCtx = n;
      return this;
    }

    /** Segments decoded together in one batched pass per step; default 8. */
    public Params maxSeqs(int n) {
      maxSeqs = n;
      return this;
    }

    /** Element type of the KV cache; default F16. */
    public Params kvType(KvType t) {
      kvType = t;
      return this;
    }

    /** MiB of prompt-prefix KV kept for reuse across calls; default 128; 0: off. */
    public Params cacheMb(int mb) {
      cacheMb = mb;
      return this;
    }

    int[] toArray() { return new int[] {threads, nCtx, maxSeqs, kvType == null ? Native.UNSET : kvType.code, cacheMb}; }
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private long handle;

  private Model(long handle) { this.handle = handle; }

  /**
   * Loads a GGUF model file (any format hymt reads) and starts its engine: the weights are
   * memory-mapped, the decode and compute threads start. params may be null (defaults). Throws
   * HymtException: NOT_FOUND, CORRUPT_FILE, UNSUPPORTED (no HY chat vocabulary), ...
   */
  public static Model load(String path, Params params) {
    if (path == null) throw new NullPointerException("path");
    int[] p = (params == null ? new Params() : params).toArray();
    return new Model(Native.modelLoad(Hymt.cstr(path), p));
  }

  private long acquire() {
    lock.readLock().lock();
    if (handle == 0) {
      lock.readLock().unlock();
      throw new IllegalStateException("the Model is closed");
    }
    return handle;
  }

  private void release() { lock.readLock().unlock(); }

  /** A new Translator over this model: one per thread that translates. */
  public Translator translator() {
    long h = acquire();
    try {
      return new Translator(Native.translatorNew(h));
    } finally {
      release();
    }
  }

  /** Token ids of text; special-token strings are read as such only when parseSpecial. */
  public int[] tokenize(String text, boolean parseSpecial) {
    if (text == null) throw new NullPointerException("text");
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long h = acquire();
    try {
      return Native.tokenize(h, b, parseSpecial);
    } finally {
      release();
    }
  }

  /** Token ids of text, special-token strings read as plain text. */
  public int[] tokenize(String text) { return tokenize(text, false); }

  /**
   * The text of token ids (control tokens skipped; ill-formed UTF-8 becomes U+FFFD). An id outside
   * the vocabulary is a HymtException (INVALID_ARGUMENT).
   */
  public String detokenize(int[] ids) {
    if (ids == null) throw new NullPointerException("ids");
    long h = acquire();
    try {
      return Hymt.str(Native.detokenize(h, ids));
    } finally {
      release();
    }
  }

  /** Facts about the model. */
  public ModelInfo info() {
    long h = acquire();
    try {
      Object[] o = Native.modelInfo(h);
      int[] n = (int[]) o[2];
      return new ModelInfo(Hymt.str((byte[]) o[0]), Hymt.str((byte[]) o[1]), n[0], n[1], n[2], n[3]);
    } finally {
      release();
    }
  }

  /** Whether close() has been called. */
  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return handle == 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Releases this handle (waiting for calls on it running on other threads). The memory and
   * threads go when the translators made from it are closed too. Closing twice does nothing.
   */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (handle != 0) {
        Native.modelFree(handle);
        handle = 0;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}

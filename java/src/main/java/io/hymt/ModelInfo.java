// ModelInfo.java: facts about a loaded model (hymt_model_info).
package io.hymt;

/** Facts about a loaded model. */
public final class ModelInfo {
  private final String name, family;
  private final int vocabSize, layers, embeddingSize, trainingContext;

  ModelInfo(String name, String family, int vocabSize, int layers, int embeddingSize, int trainingContext) {
    this.name = name;
    this.family = family;
    this.vocabSize = vocabSize;
    this.layers = layers;
    this.embeddingSize = embeddingSize;
    this.trainingContext = trainingContext;
  }

  /** general.name of the file ("" when absent). */
  public String name() { return name; }

  /** The prompt family it selects: "hy-mt1.5" or "hy-mt2". */
  public String family() { return family; }

  public int vocabSize() { return vocabSize; }

  public int layers() { return layers; }

  public int embeddingSize() { return embeddingSize; }

  /** The context length it was trained with (informational). */
  public int trainingContext() { return trainingContext; }

  @Override
  public String toString() {
    return "ModelInfo{name=" + name + ", family=" + family + ", vocab=" + vocabSize + ", layers=" + layers
        + ", embd=" + embeddingSize + ", ctxTrain=" + trainingContext + "}";
  }
}

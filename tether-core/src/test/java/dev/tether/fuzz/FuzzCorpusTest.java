package dev.tether.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in seed corpus is exactly what {@link FuzzCorpus} generates from today's encoders. */
class FuzzCorpusTest {
  @Test
  void checkedInCorpusMatchesTheGenerator() throws IOException {
    Map<String, byte[]> files = FuzzCorpus.files();
    assertThat(files).hasSizeGreaterThan(20);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(e.getKey())) {
        assertThat(in).as("%s is missing: run FuzzCorpus (see its javadoc)", e.getKey())
            .isNotNull();
        assertThat(in.readAllBytes()).as("%s is stale: run FuzzCorpus (see its javadoc)",
            e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void seedFramesAreReadWithoutRejection() {
    for (Map.Entry<String, byte[]> e : FuzzCorpus.files().entrySet()) {
      if (e.getKey().contains("FrameReaderFuzzTestInputs")) {
        int frames = FrameReaderFuzzTest.readAll(new ChunkedLink(e.getValue()),
            new FrameReaderFuzzTest.CheckingHandler());
        assertThat(frames).as(e.getKey()).isPositive();
      }
    }
  }
}

package dev.tether.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChunkBuffersTest {
  @Test
  void aBufferIsDirectAndLimitedToTheFrameLength() {
    ChunkBuffers buffers = new ChunkBuffers(1000);
    ByteBuffer b = buffers.take(700);
    assertThat(b.isDirect()).isTrue();
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(700);
    assertThat(b.capacity()).isEqualTo(1000);
  }

  @Test
  void aFrameLongerThanTheCapacityGetsNoBuffer() {
    assertThat(new ChunkBuffers(1000).take(1001)).isNull();
  }

  @Test
  void aBufferGivenBackIsTakenAgainCleared() {
    ChunkBuffers buffers = new ChunkBuffers(1000);
    ByteBuffer b = buffers.take(1000);
    b.position(300);
    buffers.give(b);
    ByteBuffer again = buffers.take(10);
    assertThat(again).isSameAs(b);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(10);
  }

  @Test
  void buffersItDidNotMakeAreNotKept() {
    ChunkBuffers buffers = new ChunkBuffers(1000);
    buffers.give(ByteBuffer.allocate(1000)); // a wrapped array
    buffers.give(ByteBuffer.allocateDirect(999));
    assertThat(buffers.idle()).isZero();
  }

  @Test
  void atMostMaxIdleBuffersWaitForReuseAndClearDropsThem() {
    ChunkBuffers buffers = new ChunkBuffers(64);
    ByteBuffer[] taken = new ByteBuffer[ChunkBuffers.MAX_IDLE + 3];
    for (int i = 0; i < taken.length; i++) {
      taken[i] = buffers.take(64);
    }
    for (ByteBuffer b : taken) {
      buffers.give(b);
    }
    assertThat(buffers.idle()).isEqualTo(ChunkBuffers.MAX_IDLE);
    buffers.clear();
    assertThat(buffers.idle()).isZero();
  }
}
